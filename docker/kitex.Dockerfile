# The Kitex side: tests/cmd/kitexpeer as one static binary, which the
# kitex-server and kitex-client services both run. GO_IMAGE and RUN_IMAGE
# are public images by default; the tests pass local equivalents.
ARG GO_IMAGE=golang:1.26
ARG RUN_IMAGE=debian:bookworm-slim
FROM ${GO_IMAGE} AS build
# The module proxy: unset, Go's default.
ARG GOPROXY
WORKDIR /src
COPY go.mod go.sum ./
# Modules in a layer of their own, downloaded again only when go.sum changes.
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /kitexpeer ./tests/cmd/kitexpeer

FROM ${RUN_IMAGE}
COPY --from=build /kitexpeer /usr/local/bin/kitexpeer
ENTRYPOINT ["kitexpeer"]
