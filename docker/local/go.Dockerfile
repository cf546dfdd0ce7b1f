# Stands in for golang:1.26. The build context is the host's GOROOT.
FROM kitexdubbo-local/bookworm
COPY . /usr/local/go
ENV PATH=/usr/local/go/bin:/root/go/bin:$PATH GOTOOLCHAIN=local
