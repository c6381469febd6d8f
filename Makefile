# dyad: build, run, test.
#   make run     install missing packages, build, analyse corpora/ into reports/
#   make check   install missing packages, build, run every test (and again under ASan+UBSan)
#   make deps    install the Debian packages dyad needs (or print the command)
#   make install PREFIX=/usr/local

PREFIX    ?= /usr/local
CC        ?= cc
OPT       ?= -O2 -g
BUILD     ?= build
PKGS      := libxml-2.0 libpcre2-8 cmocka
DEB_PKGS  := build-essential pkg-config libxml2-dev libpcre2-dev libcsv-dev libcmocka-dev
# for make fuzz: clang with its sanitizer and libFuzzer runtime
FUZZ_PKGS := clang libclang-rt-dev

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs libxml-2.0 libpcre2-8 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CFLAGS   ?= $(OPT)
CFLAGS   += -std=c11 -Wall -Wextra -Werror -pthread
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ipipeline $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lcsv -lpthread -lm

LIB_SRC  := $(sort $(wildcard pipeline/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run check test unit e2e deps install clean asan golden bench scale-test readme

all: dyad

dyad: $(BUILD)/pipeline/main.o $(BUILD)/libdyad.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libdyad.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c $(wildcard pipeline/*/*.h) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# each unit test is linked with the helpers they share (tests/unit/testutil.c);
# TEST_BIN lists only test_* programs, so testutil.o is never run as a test
$(BUILD)/tests/testutil.o: tests/unit/testutil.c tests/unit/testutil.h $(wildcard pipeline/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/tests/testutil.o $(BUILD)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(BUILD)/tests/testutil.o $(BUILD)/libdyad.a \
	    $(LDLIBS) $(CMOCKA_LIBS)

$(BUILD):
	@mkdir -p $@

deps:
	@sh tools/deps.sh $(DEB_PKGS)

run: deps
	@$(MAKE) --no-print-directory dyad
	./dyad -o reports corpora

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory validate VALIDATE_QUIET=1 VALIDATION_REPORT=build/validation.md

# every test once: unit tests, then end-to-end tests against the built binary
test: dyad $(TEST_BIN)
	@sh tests/run-unit.sh $(TEST_BIN)
	@sh tests/e2e/run.sh ./dyad

# the whole suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" DYAD_BIN=build-asan/dyad asan-test

asan-test: $(BUILD)/dyad-bin $(TEST_BIN)
	@echo "== sanitizer build (ASan + UBSan) =="
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-unit.sh $(TEST_BIN)
	@ASAN_OPTIONS=detect_leaks=1 sh tests/e2e/run.sh $(BUILD)/dyad-bin

$(BUILD)/dyad-bin: $(BUILD)/pipeline/main.o $(BUILD)/libdyad.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- robustness (docs/robustness.md): fuzz, valgrind, lint ----------------
.PHONY: fuzz fuzz-build valgrind lint

# libFuzzer targets (tests/fuzz/): one per reader (tests/fuzz/fuzz_reader.c
# built with -DREADER=read_X), the lexicon parser, and the .dic reader when
# it exists; clang with ASan and UBSan in build-fuzz/, each target run alone
# for FUZZ_SECONDS seconds
FUZZ_SECONDS ?= 60
FUZZ_READERS := txt csv chat vtt srt eaf textgrid tei talkbank
FUZZ_TARGETS := $(FUZZ_READERS) lexicon $(and $(wildcard pipeline/analysis/dic.c),$(wildcard tests/fuzz/fuzz_dic.c),dic)
FUZZ_OPT     := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz:
	@sh tools/deps.sh $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="$(FUZZ_OPT)" \
	    LDFLAGS="-fsanitize=fuzzer,address,undefined" fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh build-fuzz $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(FUZZ_READERS:%=$(BUILD)/fuzz/fuzz_%): $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_reader.c $(BUILD)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -DREADER=read_$* -o $@ $< $(BUILD)/libdyad.a $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libdyad.a $(LDLIBS)

# every unit test, and dyad on each fixture folder and corpora/ (also --dic,
# lexicon check, --shard and merge), under valgrind; the plain build/
valgrind: dyad $(TEST_BIN)
	@sh tools/deps.sh valgrind
	@sh tests/valgrind.sh ./dyad $(TEST_BIN)

# cppcheck and clang-tidy (checks in .clang-tidy) over pipeline/
LINT_CPPFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ipipeline $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
lint:
	@sh tools/deps.sh cppcheck clang-tidy
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
	    -I pipeline --suppress=missingIncludeSystem pipeline/
	clang-tidy --quiet --warnings-as-errors='*' $(LIB_SRC) pipeline/main.c -- $(LINT_CPPFLAGS)

# the golden reports of corpora/ that 'make check' compares (review the diff!)
golden: dyad
	rm -rf build/golden && ./dyad -q -o build/golden corpora
	mkdir -p tests/golden && cp build/golden/*.csv tests/golden/ && rm -f tests/golden/run.csv

install: dyad
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/dyad/lexicons
	install -m 755 dyad $(DESTDIR)$(PREFIX)/bin/dyad
	install -m 644 lexicons/*.lex $(DESTDIR)$(PREFIX)/share/dyad/lexicons/

# README.md is assembled from docs/readme/*, docs/formats/* and the other
# docs it includes: edit those, then run this
readme:
	@sh tools/readme.sh

# the performance benchmark (docs/performance.md): synthetic corpora in
# build/bench/, dyad against wc -w and cat; BENCH_MAX_MB caps the largest corpus
bench:
	@sh tools/bench.sh

# the synthetic corpus generator used by make bench (libc only)
$(BUILD)/gencorpus: tools/gencorpus.c | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# the scale recipes of docs/scale.md, end to end on this machine: GNU parallel
# (local cores and --sshlogin :), then a one-node Slurm cluster (needs root;
# installs slurm-wlm, munge and parallel, starts and stops their daemons).
# Not part of make check.
scale-test: dyad
	@sh tools/scale/test-parallel.sh
	@sh tools/slurm-local.sh

# ---- validation against expert codes (docs/validation.md) -----------------
# make validate: dyad's default lexicons against AnnoMI and ESConv in
# ../shared/data, written to docs/validation.md; skipped with a message (exit
# 0) when the data is absent. VALIDATE_QUIET=1 prints errors only and fails
# only on a real error, never on a missed target; VALIDATION_REPORT=FILE
# writes the report elsewhere (for CI: VALIDATION_REPORT=build/validation.md).
.PHONY: validate
VALIDATE_SRC      := $(sort $(wildcard tools/validate/*.c))
VALIDATION_REPORT ?= docs/validation.md
validate: dyad $(BUILD)/validate
	@sh tools/validate/validate.sh ./dyad $(BUILD)/validate -w $(BUILD)/validate-run \
	    -o $(VALIDATION_REPORT) $(if $(VALIDATE_QUIET),-q)

$(BUILD)/validate: $(VALIDATE_SRC) $(wildcard tools/validate/*.h) $(BUILD)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itools/validate $(CFLAGS) $(LDFLAGS) -o $@ $(VALIDATE_SRC) $(BUILD)/libdyad.a $(LDLIBS)

clean:
	rm -rf build build-asan build-fuzz dyad
