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

.PHONY: all run check test unit e2e deps install clean asan

all: dyad

dyad: $(BUILD)/pipeline/main.o $(BUILD)/libdyad.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libdyad.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c $(wildcard pipeline/*/*.h) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(BUILD)/libdyad.a $(LDLIBS) $(CMOCKA_LIBS)

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

install: dyad
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/dyad/lexicons
	install -m 755 dyad $(DESTDIR)$(PREFIX)/bin/dyad
	install -m 644 lexicons/*.lex $(DESTDIR)$(PREFIX)/share/dyad/lexicons/

clean:
	rm -rf build build-asan dyad
