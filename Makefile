# triage: build, run, test, bench, install.
# `make run` and `make test` install any missing Debian package first (see `deps`).

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   := $(PREFIX)/bin
DATADIR  := $(PREFIX)/share/triage
MANDIR   := $(PREFIX)/share/man/man1
CC       ?= cc

# Debian packages the project needs (libraries, test tools, the sanitizer/fuzz compiler).
DEB_PACKAGES := libncurses-dev libsqlite3-dev libiniparser-dev uuid-dev libsodium-dev libjansson-dev \
                libcmocka-dev tmux pkg-config clang make gcc sqlite3 tzdata procps \
                libclang-rt-14-dev valgrind binutils nodejs libunistring-dev python3

# Libraries with a pkg-config file; iniparser ships none.
PKGS          := jansson sqlite3 libsodium uuid ncursesw
PKG_CFLAGS     = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS       = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
INIPARSER_CFLAGS := -I/usr/include/iniparser
INIPARSER_LIBS   := -liniparser

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Werror
HARDEN   := -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fPIE
LDHARDEN := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack
CFLAGS   ?=
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -g $(WARN) $(PKG_CFLAGS) $(INIPARSER_CFLAGS) $(addprefix -I,$(CORE_DIRS)) -Itui -MMD -MP \
              -DTRIAGE_VERSION='"$(VERSION)"' -DTRIAGE_DATADIR='"$(DATADIR)"'
# libunistring (a search's name folding: case, accents, compatibility forms) ships no pkg-config file either
LIBS      = $(PKG_LIBS) $(INIPARSER_LIBS) -lunistring -lm

# core/ is in sub-folders by layer (core/LAYERS says the order; tests/structure/layers.sh holds the code to
# it); each goes on the include path, so a header is named by its file name alone.
CORE_SRC := $(sort $(wildcard core/*/*.c core/*/*/*.c))
CORE_DIRS := $(sort $(dir $(CORE_SRC)))
TUI_SRC  := $(sort $(wildcard tui/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

# Two build flavours from one source: release (hardened) and asan (address + undefined sanitizers).
B        := build
REL      := $(B)/release
ASAN     := $(B)/asan
# a test flavour: its clock honours TRIAGE_NOW (core/clock.h)
SAN_FLAGS := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -DTRIAGE_TEST_CLOCK

.PHONY: all deps run test bench install uninstall clean check-build fuzz fuzz-build golden fhir-validator check-fresh
.DELETE_ON_ERROR:
# keep the objects of the test binaries between runs (made through pattern rules, they would count as
# intermediate and be deleted); unlike a bare .SECONDARY this still rebuilds an object that is missing.
# The patterns are the rules' own ($(B)/%.o matched none of them); the fuzz flavour's is beside its FUZZ
.PRECIOUS: $(REL)/%.o $(ASAN)/%.o

all: triage

# ---- generated: the built-in defaults are the repository's config.ini, byte for byte ----
$(B)/default_config.c: config.ini tests/gen-embed.sh
	@mkdir -p $(B)
	@echo "  GEN   $@"; sh tests/gen-embed.sh triage_default_config config.ini > $@

# ---- the build flavours, from one template: objects (with their header dependencies, -MMD -MP), the built-in
# defaults and the core library. $(1): output folder, $(2): compiler, $(3): its flags.
define FLAVOUR
$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  CC    $$@"; $(2) $$(BASE_CFLAGS) $(3) -c $$< -o $$@

$(1)/default_config.o: $(B)/default_config.c
	@mkdir -p $$(dir $$@)
	@echo "  CC    $$@"; $(2) $$(BASE_CFLAGS) $(3) -Wno-missing-prototypes -c $$< -o $$@

$(1)/libtriage.a: $(CORE_SRC:%.c=$(1)/%.o) $(1)/default_config.o
	@rm -f $$@; echo "  AR    $$@"; ar rcs $$@ $$^
endef

# release (hardened), asan (address + undefined sanitizers), fuzz (clang, libFuzzer; defined below)
$(eval $(call FLAVOUR,$(REL),$(CC),$(HARDEN) $(CFLAGS)))
$(eval $(call FLAVOUR,$(ASAN),$(CC),$(SAN_FLAGS)))

triage: $(TUI_SRC:%.c=$(REL)/%.o) $(REL)/libtriage.a
	@echo "  CC    $@"; $(CC) $(LDHARDEN) $(LDFLAGS) -o $@ $(TUI_SRC:%.c=$(REL)/%.o) $(REL)/libtriage.a $(LIBS)

# ---- test build: the release program whose clock honours TRIAGE_NOW (clock.h); the suites run it.
# It sits beside ./triage at the top of the checkout, where the program finds forms/ and config.ini. ----
TESTB    := $(B)/test
$(TESTB)/clock.o: core/base/clock.c
	@mkdir -p $(dir $@)
	@echo "  CC    $@"; $(CC) $(BASE_CFLAGS) $(HARDEN) $(CFLAGS) -DTRIAGE_TEST_CLOCK -c $< -o $@

# the test clock comes first on the link line, so the archive's release clock.o is never pulled in
triage-test: $(TUI_SRC:%.c=$(REL)/%.o) $(TESTB)/clock.o $(REL)/libtriage.a
	@echo "  CC    $@"; $(CC) $(LDHARDEN) $(LDFLAGS) -o $@ $(TUI_SRC:%.c=$(REL)/%.o) $(TESTB)/clock.o $(REL)/libtriage.a $(LIBS)

# the program itself under the sanitizers: the scripted-screen suite runs against it too (make test)
$(ASAN)/triage: $(TUI_SRC:%.c=$(ASAN)/%.o) $(ASAN)/libtriage.a
	@echo "  CC    $@"; $(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

# ---- unit tests (cmocka), one binary per file, both flavours ----
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)
$(REL)/tests/unit/%: $(REL)/tests/unit/%.o $(REL)/tests/unit/support.o $(REL)/libtriage.a
	@echo "  CC    $@"; $(CC) $(LDHARDEN) -o $@ $< $(REL)/tests/unit/support.o $(REL)/libtriage.a $(LIBS) $(CMOCKA_LIBS)
$(ASAN)/tests/unit/%: $(ASAN)/tests/unit/%.o $(ASAN)/tests/unit/support.o $(ASAN)/libtriage.a
	@echo "  CC    $@"; $(CC) $(SAN_FLAGS) -o $@ $< $(ASAN)/tests/unit/support.o $(ASAN)/libtriage.a $(LIBS) $(CMOCKA_LIBS)

# the layout test also links the front end's layout, which is plain geometry with no curses in it
$(REL)/tests/unit/test_layout: $(REL)/tests/unit/test_layout.o $(REL)/tui/layout.o
	@echo "  CC    $@"; $(CC) $(LDHARDEN) -o $@ $^ $(CMOCKA_LIBS)
$(ASAN)/tests/unit/test_layout: $(ASAN)/tests/unit/test_layout.o $(ASAN)/tui/layout.o
	@echo "  CC    $@"; $(CC) $(SAN_FLAGS) -o $@ $^ $(CMOCKA_LIBS)

UNIT_REL  := $(UNIT_SRC:%.c=$(REL)/%)
UNIT_ASAN := $(UNIT_SRC:%.c=$(ASAN)/%)
BENCH     := $(REL)/tests/bench/bench $(REL)/tests/bench/bench_store $(REL)/tests/bench/bench_queue \
             $(REL)/tests/bench/bench_report $(REL)/tests/bench/bench_audit $(REL)/tests/bench/bench_ckeys

$(REL)/tests/bench/%: $(REL)/tests/bench/%.o $(REL)/libtriage.a
	@echo "  CC    $@"; $(CC) $(LDHARDEN) -o $@ $< $(REL)/libtriage.a $(LIBS)

# ---- fuzzing: libFuzzer harnesses (tests/fuzz/fuzz_*.c), clang with address and undefined sanitizers ----
# `make fuzz` runs each for FUZZ_SECONDS; `make test` replays each seed corpus once (tests/fuzz/corpus.sh).
FUZZ_CC      := clang
FUZZ         := $(B)/fuzz
.PRECIOUS: $(FUZZ)/%.o
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                -DFUZZ_ROOT='"$(CURDIR)"'
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ)/%)

$(eval $(call FLAVOUR,$(FUZZ),$(FUZZ_CC),$(FUZZ_FLAGS)))

$(FUZZ)/fuzz_%: $(FUZZ)/tests/fuzz/fuzz_%.o $(FUZZ)/libtriage.a
	@echo "  CLANG $@"; $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)
# the script parser is the front end's (tui/script.c): linked into its own harness, not into the core library
$(FUZZ)/fuzz_script: $(FUZZ)/tests/fuzz/fuzz_script.o $(FUZZ)/tui/script.o $(FUZZ)/libtriage.a
	@echo "  CLANG $@"; $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: $(FUZZ_CC) is missing (make deps installs it)" >&2; exit 1; }
	@$(MAKE) -s --no-print-directory $(FUZZ_BIN)

fuzz: deps fuzz-build
	@sh tests/fuzz-run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# fault and load drivers (tests/faults/*.sh run them; built by `make test` and `make bench`)
FAULTS    := $(REL)/tests/faults/writer $(REL)/tests/faults/crash $(REL)/tests/faults/load
$(REL)/tests/faults/%: $(REL)/tests/faults/%.o $(REL)/libtriage.a
	@echo "  CC    $@"; $(CC) $(LDHARDEN) -o $@ $< $(REL)/libtriage.a $(LIBS)

# the attacker of the scripts in tests/attacks (forged audit trails, planted keys), built by `make test`
ATTACKER  := $(REL)/tests/attacks/attacker
$(REL)/tests/attacks/%: $(REL)/tests/attacks/%.o $(REL)/libtriage.a
	@echo "  CC    $@"; $(CC) $(LDHARDEN) -o $@ $< $(REL)/libtriage.a $(LIBS)

# ---- the FHIR R4 validator the export tests run (tests/fhir-validate/validate.js): node with the packages
# pinned in its package-lock.json (the official R4 JSON schema and ajv; fhirpath.js 3.13 for calculated.js),
# installed from the npm registry ----
FHIR_VALIDATOR := tests/fhir-validate/node_modules/.installed
$(FHIR_VALIDATOR): tests/fhir-validate/package.json tests/fhir-validate/package-lock.json
	@command -v npm >/dev/null || sh tests/deps.sh npm
	@echo "  NPM   tests/fhir-validate"; cd tests/fhir-validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

fhir-validator: $(FHIR_VALIDATOR)

# ---- the contract ----
deps:
	@sh tests/deps.sh $(DEB_PACKAGES)

# the golden screen dumps (tests/golden/): regenerated after a deliberate change to a screen, then reviewed as a diff
golden: triage-test
	@sh tests/cli/golden.sh ./triage-test --update

run: deps
	@$(MAKE) --no-print-directory triage
	@sh tests/demo.sh

# everything `make test` runs, built (no package installed, nothing run)
check-build:
	@$(MAKE) --no-print-directory triage triage-test $(UNIT_REL) $(UNIT_ASAN) $(ASAN)/triage $(FUZZ_BIN) $(FAULTS) $(BENCH) $(ATTACKER)

test: deps
	@$(MAKE) --no-print-directory triage triage-test $(UNIT_REL) $(UNIT_ASAN) $(ASAN)/triage $(FUZZ_BIN) $(FAULTS) $(ATTACKER) \
	    $(FHIR_VALIDATOR)
	@sh tests/run-suites.sh "$(UNIT_REL)" "$(UNIT_ASAN)"

# the README's set-up commands on a fresh minimal Debian 12 root (debootstrap), /tmp on tmpfs and on disk;
# not part of `make test`: it takes many minutes and Debian's package servers (tests/check-fresh.sh)
check-fresh:
	@sh tests/check-fresh.sh

# every benchmark appends its headline rows to one file; summary.sh prints them as one table and writes
# bench/results.md
BENCH_ROWS := $(B)/bench-rows.tsv
bench: deps
	@$(MAKE) --no-print-directory triage triage-test $(BENCH) $(FAULTS)
	@mkdir -p $(B); : > $(BENCH_ROWS)
	@for b in $(BENCH); do TRIAGE_BENCH_ROWS=$(abspath $(BENCH_ROWS)) $$b || exit 1; echo; done
	@TRIAGE_BENCH_ROWS=$(abspath $(BENCH_ROWS)) sh tests/bench/bench_tui.sh
	@echo; TRIAGE_BENCH_ROWS=$(abspath $(BENCH_ROWS)) sh tests/bench/bench_keys.sh ./triage
	@echo; TRIAGE_BENCH_ROWS=$(abspath $(BENCH_ROWS)) LOAD_SECONDS=$${LOAD_SECONDS:-180} LOAD_BASELINE=$${LOAD_BASELINE:-30} \
	    sh tests/faults/load.sh ./triage
	@echo; sh tests/bench/summary.sh $(BENCH_ROWS) bench/results.md

install: triage
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/examples
	install -m 0755 triage $(DESTDIR)$(BINDIR)/triage
	install -m 0644 forms/*.ini $(DESTDIR)$(DATADIR)/forms/
	install -m 0644 assets/counselors.sample.ini config.ini $(DESTDIR)$(DATADIR)/
	install -m 0644 assets/examples/*.json $(DESTDIR)$(DATADIR)/examples/
	install -m 0644 assets/triage.1 $(DESTDIR)$(MANDIR)/triage.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/triage $(DESTDIR)$(MANDIR)/triage.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(B) triage triage-test

# the header dependencies the compiler wrote (-MMD -MP)
-include $(shell find $(B) -name '*.d' 2>/dev/null)
