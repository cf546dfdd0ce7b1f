#!/usr/bin/env bash
# make compose-test: docker-compose.yml run for real, every scenario in
# containers on the host's network, each one a `docker-compose up
# --abort-on-container-exit` whose client must exit 0 having printed
# "N passed, 0 failed".
#
# What it needs it sets up: Debian's docker.io, docker-compose and
# debootstrap when absent (as root), a dockerd of its own when none answers
# (no bridge, no iptables; stopped by PID at the end), and local stand-ins
# for the public base images (docker/local/), built once and kept by the
# engine. The Dockerfiles and the compose file are those users run; only
# the build arguments, addresses and network_mode (tests/compose/host.yml)
# differ.
#
# COMPOSE_SCENARIOS="direct zk-interface" runs some of the scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)

say() { printf 'compose-test: %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }

# docker-py (docker-compose 1.29) and the 20.10 engine; the client on PATH
# may be a newer one without an engine, which is fine for `docker` itself.
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
if ((${#need[@]})); then
	[ "$(id -u)" = 0 ] || die "needs ${need[*]} (Debian packages) and is not root to install them"
	say "installing ${need[*]}"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/tmp/kitexdubbo-apt.log 2>&1 ||
		{ tail -20 /tmp/kitexdubbo-apt.log >&2; die "apt-get install ${need[*]} failed"; }
	rm -f /tmp/kitexdubbo-apt.log
fi

work=$(mktemp -d /tmp/kitexdubbo-compose.XXXXXX)
dockerd_pid=
project=kitexdubbo-test
compose=(docker-compose -f docker-compose.yml -f tests/compose/host.yml -p "$project")

cleanup() {
	local rc=$?
	"${compose[@]}" down --remove-orphans -t 2 >/dev/null 2>&1 || true
	if [ -n "$dockerd_pid" ]; then
		kill "$dockerd_pid" 2>/dev/null || true
		for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$dockerd_pid" 2>/dev/null || true
		# The engine's own containerd, and the namespaces it mounted.
		pkill -f "containerd --config /var/run/docker/containerd" 2>/dev/null || true
		grep -o ' /run/docker/netns/[^ ]*' /proc/mounts | xargs -r -n1 umount 2>/dev/null || true
	fi
	if [ "$rc" = 0 ]; then rm -rf "$work"; else say "logs kept in $work" >&2; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! docker info >/dev/null 2>&1; then
	say "starting dockerd (no bridge, no iptables)"
	dockerd --bridge=none --iptables=false --ip6tables=false >"$work/dockerd.log" 2>&1 &
	dockerd_pid=$!
	for _ in $(seq 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
	docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log" >&2; die "dockerd did not start"; }
fi

# Stand-ins for the public images, once per engine. The base image trusts
# the host's certificate authorities too: where egress goes through a TLS
# proxy (as here), Maven and Go inside the builds need them.
if ! docker image inspect kitexdubbo-local/bookworm >/dev/null 2>&1; then
	say "building the local base image (debootstrap bookworm, about a minute)"
	rootfs="$work/rootfs"
	debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" \
		"${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
	mkdir -p "$rootfs/usr/local/share/ca-certificates/host"
	awk -v dir="$rootfs/usr/local/share/ca-certificates/host" '
		/BEGIN CERTIFICATE/ { n++; f = sprintf("%s/host-%03d.crt", dir, n) }
		f { print > f }
		/END CERTIFICATE/ { close(f); f = "" }' /etc/ssl/certs/ca-certificates.crt
	chroot "$rootfs" update-ca-certificates >/dev/null
	tar -C "$rootfs" -c . | docker import - kitexdubbo-local/bookworm >/dev/null
fi
if ! docker image inspect kitexdubbo-local/maven >/dev/null 2>&1; then
	say "building kitexdubbo-local/maven (Debian's OpenJDK 17 and Maven)"
	docker build -q --network host -t kitexdubbo-local/maven -f docker/local/maven.Dockerfile docker/local >"$work/maven.log" 2>&1 ||
		{ tail -20 "$work/maven.log" >&2; die "building kitexdubbo-local/maven failed"; }
fi
if ! docker image inspect kitexdubbo-local/go >/dev/null 2>&1; then
	say "building kitexdubbo-local/go (this machine's Go toolchain)"
	docker build -q --network host -t kitexdubbo-local/go -f docker/local/go.Dockerfile "$(go env GOROOT)" >"$work/go.log" 2>&1 ||
		{ tail -20 "$work/go.log" >&2; die "building kitexdubbo-local/go failed"; }
fi
export MAVEN_IMAGE=kitexdubbo-local/maven JRE_IMAGE=kitexdubbo-local/maven \
	GO_IMAGE=kitexdubbo-local/go RUN_IMAGE=kitexdubbo-local/bookworm BUILD_NETWORK=host

say "building the service images"
built=$(date +%s)
"${compose[@]}" build -q java-provider kitex-server >"$work/build.log" 2>&1 ||
	{ tail -40 "$work/build.log" >&2; die "docker-compose build failed"; }
say "images built in $(($(date +%s) - built))s"

free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"; }

# scenario NAME CLIENT SERVICES... runs one compose up: the client's exit
# code and its summary line decide.
declare -a results
failed=0
scenario() {
	local name=$1 client=$2; shift 2
	local log="$work/$name.log" t0 rc=0
	t0=$(date +%s)
	say "scenario $name: $* (client $client)"
	"${compose[@]}" up --no-build --no-color --abort-on-container-exit --exit-code-from "$client" "$@" >"$log" 2>&1 || rc=$?
	"${compose[@]}" down --remove-orphans -t 2 >/dev/null 2>&1 || true
	local summary
	summary=$(grep -E "$client[^|]*\| [0-9]+ passed, [0-9]+ failed" "$log" | tail -1 | sed 's/.*| //') || true
	if [ "$rc" = 0 ] && [[ "$summary" =~ ^[0-9]+\ passed,\ 0\ failed ]]; then
		results+=("PASS $name: $summary ($(($(date +%s) - t0))s)")
	else
		failed=$((failed + 1))
		results+=("FAIL $name: exit $rc, ${summary:-no summary} ($(($(date +%s) - t0))s)")
		grep -E '\| (FAIL|kitexpeer:|.*Exception|Caused by)' "$log" | head -20 >&2 || true
	fi
}

# Each scenario gets fresh ports on loopback. Dubbo-Java swaps a 127.x
# address, given or registered, for the machine's own before it dials, so the
# peers it calls listen on [::1] (README, "Service discovery (ZooKeeper)").
setup() {
	local zk jp ks
	zk=$(free_port 127.0.0.1) jp=$(free_port ::1) ks=$(free_port ::1)
	export ZOOKEEPER_HOST=127.0.0.1 ZOOKEEPER_CHECK=127.0.0.1 ZOOKEEPER_PORT=$zk
	export JAVA_PROVIDER_HOST=::1 JAVA_PROVIDER_CHECK=::1 JAVA_PROVIDER_PORT=$jp
	export KITEX_SERVER_LISTEN="[::1]:$ks"
	zkurl="zookeeper://127.0.0.1:$zk" provider="[::1]:$jp" kserver="[::1]:$ks"
	export REGISTRY=N/A JAVA_PROVIDER_ARGS= KITEX_SERVER_ARGS=
}

run() {
	case $1 in
	direct)
		setup
		export KITEX_CLIENT_ARGS="-call $provider"
		scenario kitex-to-java-direct kitex-client zookeeper java-provider kitex-client
		setup
		export JAVA_CONSUMER_ARGS="-addr $kserver"
		scenario java-to-kitex-direct java-consumer zookeeper kitex-server java-consumer
		;;
	zk-interface | zk-application)
		local level=${1#zk-} register
		register=$([ "$level" = interface ] && echo interface || echo instance)
		setup
		export REGISTRY=$zkurl JAVA_PROVIDER_ARGS="-register-mode $register -app java-$level"
		export KITEX_CLIENT_ARGS="-registry $zkurl -mode $level -app kitex-consumer"
		scenario "kitex-to-java-zk-$level" kitex-client zookeeper java-provider kitex-client
		setup
		export KITEX_SERVER_ARGS="-registry $zkurl -mode $register -app kitex-$level"
		export JAVA_CONSUMER_ARGS="-registry $zkurl -discovery $level"
		scenario "java-to-kitex-zk-$level" java-consumer zookeeper kitex-server java-consumer
		;;
	*) die "unknown scenario $1 (direct, zk-interface, zk-application)" ;;
	esac
}

for s in ${COMPOSE_SCENARIOS:-direct zk-interface zk-application}; do
	run "$s"
done
printf '%s\n' "${results[@]}"
say "$((${#results[@]} - failed)) of ${#results[@]} scenarios passed in $(($(date +%s) - started))s"
[ "$failed" = 0 ]
