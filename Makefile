# The two commands of the README:
#   make run    install what is missing, build, start neurolens on the built-in simulated session
#   make test   install what is missing, build, run every test (under a virtual X server)
# PRESET picks a CMakePresets.json configuration (dev, ci, core, asan); JOBS the parallel jobs.

PRESET ?= dev
JOBS ?= 2
BUILD := build/$(PRESET)
XVFB := xvfb-run -a -s '-screen 0 1920x1080x24'

.PHONY: all deps configure build run test lint fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	cmake --build $(BUILD) -j$(JOBS)

run: build
	$(BUILD)/app/gui/neurolens

test: build
	cd $(BUILD) && $(XVFB) ctest --output-on-failure -j$(JOBS)

# The formatting and clang-tidy checks CI runs (on the configured PRESET's compile commands).
lint: configure
	scripts/check-style.sh $(BUILD)

# The readers' libFuzzer targets, each for FUZZ_SECONDS (clang 14, ASan + UBSan; CI runs them).
FUZZ_SECONDS ?= 60
fuzz: deps
	JOBS=$(JOBS) scripts/run-fuzzers.sh $(FUZZ_SECONDS)

# Benchmarks against the Python peers (not part of the test suite); see README, Performance.
bench: deps
	@cmake --preset $(PRESET) -DNEUROLENS_BUILD_BENCH=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS) --target neurolens-cli neurolens-sim-calibration neurolens-pca-bench neurolens-sparse-bench neurolens-gui-bench neurolens-nwb-generate
	tests/bench/run-benchmarks.sh $(BUILD)

clean:
	rm -rf build
