# khabar — one plain Makefile.
#
#   make                      library (static + shared), the khabar CLI
#   make check                every test; ends with "N passed, N failed"
#   make SANITIZER=address,undefined check
#                             the same under ASan + UBSan (built in build-san/)
#   make MPI=1 [check]        with `khabar dedup --mpi` (built in build-mpi/)
#   make fuzz [FUZZ_SECONDS=10] [FUZZ_PARALLEL=1] [FUZZ_TARGETS="fuzz_web ..."]
#                             each libFuzzer target for a short while (clang)
#   make fuzz-long            each target for 10 minutes, two at a time
#   make bench                every benchmark under bench/, one table
#   make demo                 the sample corpus into build/demo.db, its stories
#   make install PREFIX=/usr/local [DESTDIR=]
#
# Sources are found by wildcard: a new src/kh_*.c joins the library, a new
# tests/test_*.c becomes a test program, a new fuzz/fuzz_*.c a fuzz target.

PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
OPT      ?= -O2 -g
SANITIZER ?=

# The ABI number of the shared library; see KH_VERSION_* in include/khabar.h.
ABI_VERSION = 4
VERSION = $(shell sed -n 's/^\#define KH_VERSION_STRING "\(.*\)"/\1/p' include/khabar.h)

# MPI=1 adds `khabar dedup --mpi` (src/kh_dedup_mpi.c), with Open MPI or
# MPICH found by pkg-config (ompi, mpich) or mpicc; it builds in build-mpi/.
MPI ?=
ifeq ($(MPI),1)
MPI_CFLAGS := $(shell pkg-config --cflags ompi 2>/dev/null || pkg-config --cflags mpich 2>/dev/null || mpicc --showme:compile 2>/dev/null || mpicc -compile_info 2>/dev/null | cut -d' ' -f2-)
MPI_LIBS   := $(shell pkg-config --libs ompi 2>/dev/null || pkg-config --libs mpich 2>/dev/null || mpicc --showme:link 2>/dev/null || mpicc -link_info 2>/dev/null | cut -d' ' -f2-)
ifeq ($(strip $(MPI_LIBS)),)
$(error MPI=1: no MPI found (pkg-config ompi or mpich, or mpicc); scripts/install-deps installs Open MPI)
endif
# as system headers: our warnings are for our code
MPI_CFLAGS := $(patsubst -I%,-isystem %,$(MPI_CFLAGS))
endif

ifeq ($(SANITIZER),)
ifeq ($(MPI),1)
BUILD ?= build-mpi
else
BUILD ?= build
endif
SANFLAGS =
else
BUILD ?= build-san
SANFLAGS = -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

WARNINGS = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wformat=2 -Wundef -Wno-format-nonliteral

PKGS = libutf8proc jansson libxml-2.0 zlib sqlite3 libxxhash libmicrohttpd libcurl liburiparser libcrypto
DEPS_CFLAGS := $(shell pkg-config --cflags $(PKGS))
DEPS_LIBS   := $(shell pkg-config --libs $(PKGS)) -lstemmer -lpthread -lm
ifeq ($(MPI),1)
DEPS_CFLAGS += $(MPI_CFLAGS) -DKH_MPI
DEPS_LIBS   += $(MPI_LIBS)
endif

KH_CPPFLAGS = -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
KH_CFLAGS   = -std=c11 $(OPT) $(WARNINGS) -fPIC -fvisibility=hidden \
              $(DEPS_CFLAGS) $(SANFLAGS) -MMD -MP $(CFLAGS)
KH_LDFLAGS  = $(SANFLAGS) $(LDFLAGS)

ifeq ($(MPI),1)
LIB_SRC   = $(wildcard src/*.c)
else
LIB_SRC   = $(filter-out src/kh_dedup_mpi.c,$(wildcard src/*.c))
endif
CLI_SRC   = $(wildcard src/cli/*.c)
TEST_SRC  = $(wildcard tests/test_*.c)
BENCH_SRC = $(wildcard bench/*.c)
FUZZ_SRC  = $(wildcard fuzz/fuzz_*.c)
DOC_SRC   = $(wildcard doc/examples/*.c)

LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/formats_text.o
TESTS     = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES   = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
FUZZ_REGR = $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
DOC_PROGS = $(DOC_SRC:doc/examples/%.c=$(BUILD)/doc/examples/%)

STATIC_LIB = $(BUILD)/libkhabar.a
SHARED_LIB = $(BUILD)/libkhabar.so.$(ABI_VERSION)
CLI        = $(BUILD)/khabar

.PHONY: check-threads all check test fuzz fuzz-long bench demo install uninstall clean
# Keep object files of tests, benches and fuzz targets between runs.
.SECONDARY:
all: $(STATIC_LIB) $(SHARED_LIB) $(CLI) $(BUILD)/khabar.pc

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KH_CPPFLAGS) $(KH_CFLAGS) -c $< -o $@

$(STATIC_LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libkhabar.so.$(ABI_VERSION) -o $@ $^ $(KH_LDFLAGS) $(DEPS_LIBS)
	ln -sf libkhabar.so.$(ABI_VERSION) $(BUILD)/libkhabar.so

# $(BUILD)/khabar.pc names the PREFIX of the build; install writes one for
# the PREFIX it installs into, which may differ.

# The CLI links the static library: one binary to copy, no LD_LIBRARY_PATH.
$(CLI): $(CLI_OBJ) $(STATIC_LIB)
	$(CC) -o $@ $(CLI_OBJ) $(STATIC_LIB) $(KH_LDFLAGS) $(DEPS_LIBS)

# `khabar help formats` prints doc/formats.md, compiled in from the file
# itself so that the two cannot drift apart.
$(BUILD)/gen/formats_text.c: doc/formats.md
	@mkdir -p $(dir $@)
	{ echo '/* Made by the Makefile from doc/formats.md: edit that file. */'; \
	  echo 'extern const char cli_formats_text[];'; \
	  echo 'const char cli_formats_text[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	  echo '    ;'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/formats_text.o: $(BUILD)/gen/formats_text.c
	$(CC) $(KH_CPPFLAGS) $(KH_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(STATIC_LIB)
	$(CC) -o $@ $< $(STATIC_LIB) $(KH_LDFLAGS) $(DEPS_LIBS)

# The doc examples include only <khabar.h>, as a user's program would.
$(BUILD)/doc/examples/%: doc/examples/%.c $(STATIC_LIB) include/khabar.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(OPT) $(WARNINGS) $(SANFLAGS) -Iinclude -o $@ $< $(STATIC_LIB) $(KH_LDFLAGS) $(DEPS_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(STATIC_LIB)
	$(CC) -o $@ $< $(STATIC_LIB) $(KH_LDFLAGS) $(DEPS_LIBS)

# Each fuzz target doubles as a regression test: linked with a main() that
# feeds it every file of fuzz/corpus/<target>/.
$(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(BUILD)/fuzz/regression_main.o $(STATIC_LIB)
	$(CC) -o $@ $< $(BUILD)/fuzz/regression_main.o $(STATIC_LIB) $(KH_LDFLAGS) $(DEPS_LIBS)

$(BUILD)/khabar.pc: khabar.pc.in include/khabar.h
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

check test: all $(TESTS) $(FUZZ_REGR) $(DOC_PROGS) $(BUILD)/bench/gen_syndication
	@sh tests/run-tests $(BUILD)

# The threaded parts (the pipeline's cleaning workers, the deduper's LSH
# threads, the web server) under ThreadSanitizer, in build-tsan/.
THREAD_TESTS = test_pipeline test_dedup test_store
check-threads:
	@$(MAKE) --no-print-directory SANITIZER=thread BUILD=build-tsan \
	    $(addprefix build-tsan/tests/,$(THREAD_TESTS))
	@for t in $(THREAD_TESTS); do \
	    TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/$$t || exit 1; done

# libFuzzer needs clang. Each target replays its whole corpus, then runs for
# FUZZ_SECONDS; FUZZ_PARALLEL targets run at once.
FUZZ_SECONDS ?= 10
FUZZ_PARALLEL ?= 1
FUZZ_TARGETS ?=
FUZZ_BUILD = build-fuzz
fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	    OPT="-O1 -g" SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" $(FUZZ_BUILD)/libkhabar.a
	@sh fuzz/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) "$(DEPS_LIBS)" "$(KH_CPPFLAGS) $(DEPS_CFLAGS)" $(FUZZ_PARALLEL) "$(FUZZ_TARGETS)"

fuzz-long:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=600 FUZZ_PARALLEL=2

# The main job on the sample corpus: store it, print its stories, say how to
# browse them. Ingest is idempotent, so running it twice adds nothing.
DEMO_DB = $(BUILD)/demo.db
demo: all
	$(CLI) ingest --db $(DEMO_DB) examples/corpus
	$(CLI) stories --db $(DEMO_DB) --format md
	@echo
	@echo "Browse these stories: $(CLI) serve --db $(DEMO_DB)   then open http://127.0.0.1:8080/"

bench: all $(BENCHES)
	@sh bench/run-bench $(BUILD)

install: all
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib/pkgconfig" "$(DESTDIR)$(PREFIX)/include"
	install -m 755 $(CLI) "$(DESTDIR)$(PREFIX)/bin/khabar"
	install -m 644 include/khabar.h "$(DESTDIR)$(PREFIX)/include/khabar.h"
	install -m 644 $(STATIC_LIB) "$(DESTDIR)$(PREFIX)/lib/libkhabar.a"
	install -m 755 $(SHARED_LIB) "$(DESTDIR)$(PREFIX)/lib/libkhabar.so.$(ABI_VERSION)"
	ln -sf libkhabar.so.$(ABI_VERSION) "$(DESTDIR)$(PREFIX)/lib/libkhabar.so"
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' khabar.pc.in \
	    > "$(DESTDIR)$(PREFIX)/lib/pkgconfig/khabar.pc"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/khabar" "$(DESTDIR)$(PREFIX)/include/khabar.h" \
	      "$(DESTDIR)$(PREFIX)/lib/libkhabar.a" "$(DESTDIR)$(PREFIX)/lib/libkhabar.so" \
	      "$(DESTDIR)$(PREFIX)/lib/libkhabar.so.$(ABI_VERSION)" \
	      "$(DESTDIR)$(PREFIX)/lib/pkgconfig/khabar.pc"

clean:
	rm -rf build build-san build-fuzz build-mpi

-include $(wildcard $(BUILD)/src/*.d $(BUILD)/src/cli/*.d $(BUILD)/tests/*.d $(BUILD)/bench/*.d $(BUILD)/fuzz/*.d)
