# panama-mlp: everything a fresh machine needs goes through these targets.
#   make train   - install what is missing, fetch MNIST, build, train the default network
#   make test    - install what is missing, fetch MNIST, run the whole test suite
#   make fuzz    - fuzz the file readers (IDX, .npz/JSON, PNG/PGM, CSV) for FUZZ_TIME seconds each
#   make bench   - install what is missing, fetch MNIST, build, print the benchmark table (out/bench.json)
#   make jmh     - JMH kernel benchmarks (short run; JMH_ARGS overrides, e.g. JMH_ARGS='-h' for JMH's options)
SHELL := /bin/bash
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
JEXTRACT ?= jextract
UNAME_S := $(shell uname -s)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA_DIR ?= data/mnist
LAUNCHER := target/panama-mlp
ARGS ?=
BENCH_ARGS ?=
JMH_ARGS ?= -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff target/jmh-result.json

.PHONY: all deps openblas ccompiler numpy build test train data bindings native bench jmh fuzz clean

all: build

# OpenBLAS: Debian/Ubuntu packages via apt-get (runtime and headers for the C baseline); Homebrew on macOS.
deps: openblas
openblas:
ifeq ($(UNAME_S),Darwin)
	@if [ -e /opt/homebrew/opt/openblas/lib/libopenblas.dylib ] || [ -e /usr/local/opt/openblas/lib/libopenblas.dylib ]; then :; \
	else echo "OpenBLAS is missing: run 'brew install openblas'"; exit 1; fi
else
	@if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0' && { [ -e /usr/include/cblas.h ] || ls /usr/include/*/cblas.h >/dev/null 2>&1; }; then :; \
	elif command -v apt-get >/dev/null; then \
	  echo "Installing OpenBLAS (libopenblas-dev) with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev >/dev/null; \
	else echo "OpenBLAS is missing and apt-get is not available: install your distribution's OpenBLAS package"; exit 1; fi
endif

build: deps
	$(MVN) $(MVN_FLAGS) -DskipTests package

# The suite builds the C baseline and checks model files with numpy: both are installed when missing,
# so no test is ever skipped for want of a tool.
test: deps data ccompiler numpy
	$(MVN) $(MVN_FLAGS) verify -Dpanamamlp.python="$$(bash scripts/find-numpy-python.sh)"

data:
	@bash scripts/fetch-mnist.sh $(DATA_DIR)

train: deps data build
	$(LAUNCHER) train --data $(DATA_DIR) $(ARGS)

# Regenerates bindings/ from OpenBLAS's cblas.h with jextract 22 (not in any registry we reach:
# install it by hand and pass JEXTRACT=/path/to/jextract).
CBLAS_H ?= $(firstword $(wildcard /usr/include/x86_64-linux-gnu/cblas.h /usr/include/aarch64-linux-gnu/cblas.h /usr/include/cblas.h /opt/homebrew/opt/openblas/include/cblas.h /usr/local/opt/openblas/include/cblas.h))
bindings:
	@command -v $(JEXTRACT) >/dev/null 2>&1 || { echo "jextract not found: install jextract 22 and run 'make bindings JEXTRACT=/path/to/jextract'"; exit 1; }
	@[ -n "$(CBLAS_H)" ] || { echo "cblas.h not found: install OpenBLAS headers (make openblas) or pass CBLAS_H=/path/to/cblas.h"; exit 1; }
	rm -rf bindings/io/github/panamamlp/bindings/openblas
	$(JEXTRACT) --output bindings --target-package io.github.panamamlp.bindings.openblas \
	  --header-class-name cblas_h @native/openblas-includes.txt $(CBLAS_H)

# The C baseline: cblas_dgemm and cblas_sgemm (--dtype float32) called directly from C, timed on given shapes.
native: native/gemm_bench
# Linux: pkg-config's openblas (Debian's libopenblas-dev). macOS: Homebrew's keg-only openblas, which
# pkg-config does not find, under $(brew --prefix openblas).
ifeq ($(UNAME_S),Darwin)
OPENBLAS_FLAGS = -I"$$(brew --prefix openblas)/include" -L"$$(brew --prefix openblas)/lib" -Wl,-rpath,"$$(brew --prefix openblas)/lib" -lopenblas
else
OPENBLAS_FLAGS = $$(pkg-config --cflags --libs openblas 2>/dev/null || echo -lopenblas) -ldl
endif
native/gemm_bench: native/gemm_bench.c | deps ccompiler
	$(CC) -O2 -Wall -Wextra -o $@ $< $(OPENBLAS_FLAGS)

# Fuzzing (Jazzer, in-process, coverage-guided): each @FuzzTest in FUZZ_TARGETS runs in its own JVM
# (Jazzer fuzzes one test per run) for FUZZ_TIME seconds, with a small heap so that an allocation a
# hostile header asks for shows up as an OutOfMemoryError. Jazzer's method hooks (comparison tracing,
# sanitizers) are on here; the normal suite runs the same tests over their committed inputs only.
# A finding fails the target and Jazzer saves the input as crash-<sha1> in
# src/library/src/test/resources/io/github/panamamlp/fuzz/<Class>Inputs/<method>/: fix the bug, then rename the file
# bad-found-<what> (FuzzSeedsTest insists) so it stays a regression test. The corpus grown while
# fuzzing is kept in .cifuzz-corpus/ (ignored by git) and reused by the next run.
FUZZ_TIME ?= 60
FUZZ_HEAP ?= -Xmx512m
FUZZ_TARGETS ?= IdxReaderFuzzTest\#images IdxReaderFuzzTest\#labels IdxReaderFuzzTest\#imagesGzip \
  IdxReaderFuzzTest\#labelsGzip ModelFileFuzzTest\#npzFile ModelFileFuzzTest\#npzEntries \
  JsonFuzzTest\#parse GrayImageFuzzTest\#read CsvFuzzTest\#read
fuzz:
	@failed=""; \
	for target in $(FUZZ_TARGETS); do \
	  echo "== fuzzing $$target for $(FUZZ_TIME) s"; \
	  JAZZER_FUZZ=1 $(MVN) $(MVN_FLAGS) -q test -pl src/library -am -Dsurefire.failIfNoSpecifiedTests=false \
	    -Dtest="$$target" -Djazzer.hooks=true \
	    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$(FUZZ_TIME) \
	    -Dsurefire.extraArgs="$(FUZZ_HEAP)" || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzing found problems in:$$failed (see target/surefire-reports)"; exit 1; fi; \
	echo "fuzzing found nothing"
# numpy for the interop tests (a model file written here must load in numpy, and numpy's in here).
# The first of python3 on PATH and /usr/bin/python3 that imports numpy is used (scripts/find-numpy-python.sh);
# when neither does, Debian's python3-numpy is installed for /usr/bin/python3.
numpy:
	@if bash scripts/find-numpy-python.sh >/dev/null; then :; \
	elif command -v apt-get >/dev/null; then \
	  echo "Installing numpy (python3-numpy) with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-numpy >/dev/null; \
	  bash scripts/find-numpy-python.sh >/dev/null; \
	else echo "Python 3 with numpy is missing: install it (e.g. 'pip3 install numpy')"; exit 1; fi

# A C compiler for the baseline (gcc with apt-get when there is none).
ccompiler:
	@if command -v $(CC) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null; then \
	  echo "Installing a C compiler (gcc) with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gcc libc6-dev pkg-config >/dev/null; \
	else echo "No C compiler ($(CC)) found: install one to build native/gemm_bench"; exit 1; fi

# GEMM FFM vs C, training epochs with their breakdown vs the pure-Java reference, 1 vs 2 OpenBLAS threads,
# and the epochs with OPENBLAS_CORETYPE=SkylakeX (child JVM): one table, also written to out/bench.json.
bench: deps data native build
	$(LAUNCHER) bench --data $(DATA_DIR) $(BENCH_ARGS)

# JMH benchmarks in src/tools/src/test/java/io/github/panamamlp/jmh (compiled with the tools' tests), on the JDK
# the build selected (the launcher names it). Default: a short run with the GC profiler (gc.alloc.rate.norm =
# bytes allocated per op).
TOOLS := src/tools
jmh: build
	$(MVN) $(MVN_FLAGS) -q test-compile dependency:build-classpath -pl $(TOOLS) -am -Dmdep.includeScope=test \
	  -Dmdep.outputFile=$(CURDIR)/target/jmh.classpath
	JAVA=$$(sed -n 's/^exec "\([^"]*\)".*/\1/p' $(LAUNCHER)); \
	"$$JAVA" --enable-native-access=ALL-UNNAMED \
	  -cp "$(TOOLS)/target/test-classes:$(TOOLS)/target/classes:$$(cat target/jmh.classpath)" \
	  org.openjdk.jmh.Main $(JMH_ARGS)

clean:
	$(MVN) $(MVN_FLAGS) -q clean
	rm -f native/gemm_bench
