# Cohesix: `make run` boots a node, `make test` runs the whole suite. Both install what is missing.
.PHONY: all deps build run test bench clean

all: build

deps:
	@scripts/deps.sh all

node_modules/.cohesix-stamp: package.json $(wildcard package-lock.json)
	@scripts/deps.sh npm

build: node_modules/.cohesix-stamp
	@npx tsc -p tsconfig.json
	@npx tsc -p web/client/tsconfig.json
	@node dist/web/bundle.js

run: node_modules/.cohesix-stamp build
	@scripts/deps.sh debian
	@./bin/cohesix boot

test: deps build
	@npx vitest run

bench: node_modules/.cohesix-stamp build
	@scripts/deps.sh debian
	@node dist/bench/run.js $(BENCH)

clean:
	rm -rf dist

# make image ARCH=aarch64|x86: the hardware image for QEMU (images/build/ARCH/, never committed).
.PHONY: image
image:
	@$(MAKE) -s -C images ARCH=$(or $(ARCH),aarch64)
