# The README quotes these targets; .ci/run calls `make test` and nothing else.
GO ?= go
FUZZTIME ?= 10s

.PHONY: test demo bench fuzz vet soak rnacos sample-zookeeper sample-nacos compose-test

# Everything: vet, the unit, golden, loopback, generator and cross-language tests
# under the race detector; those nacos-sdk-go's own data race on reconnect
# keeps from running under it (they restart Nacos and skip themselves under
# -race: TestNacosSDKRestart in tests, TestNacosRestart in pkg/registry/nacos),
# without; then docker-compose.yml in real containers; then a short run of
# every fuzz target from its seed corpus.
test: vet rnacos
	$(GO) test -race -count=1 -timeout 40m ./...
	$(GO) test -count=1 -run 'TestNacosSDKRestart|TestDiscoveryMatrixNacos/after_a_registry_outage' ./tests
	$(GO) test -count=1 -run 'TestNacosRestart' ./pkg/registry/nacos
	$(MAKE) compose-test
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)

# docker-compose.yml run for real: Kitex and Dubbo-Java in containers, both
# directions, directly and through ZooKeeper (scripts/compose-test.sh; installs
# and starts the engine when absent, builds local base images once).
compose-test:
	./scripts/compose-test.sh

# The Nacos server the tests start (rnacos), built into ~/.cache/kitexdubbo once per machine.
rnacos:
	./scripts/rnacos.sh

vet:
	$(GO) vet ./...

# Kitex <-> Kitex, then Kitex -> Dubbo-Java provider and Dubbo-Java consumer -> Kitex (scripts/demo.sh).
demo:
	./scripts/demo.sh

# A Kitex provider and client finding each other through a ZooKeeper it starts.
sample-zookeeper:
	./samples/zookeeper/run.sh

# The same through a Nacos server (rnacos) it starts.
sample-nacos:
	./samples/nacos/run.sh

# Every benchmark side by side (pkg/..., tests/bench, tests/dubbogo/bench,
# the Dubbo-Java rows), then BENCHMARKS.md and the README's Speed block
# (scripts/bench.sh; BENCH_COUNT, BENCH_JAVA_WARM, BENCH_JAVA_TIME).
bench:
	GO=$(GO) ./scripts/bench.sh

# A million calls at concurrency 100 against a server process per Dubbo
# handler: no errors, the server's RSS and goroutines flat (tests/soak_test.go).
SOAKCALLS ?= 1000000
soak:
	$(GO) test -run '^$$' -bench Soak -benchtime $(SOAKCALLS)x -timeout 60m ./tests

# Each fuzz target on its own for FUZZTIME (scripts/fuzz.sh); tests/
# has FuzzJavaRequests, seeded with the real Dubbo-Java requests.
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh
