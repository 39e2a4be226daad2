# libFuzzer harnesses (clang -fsanitize=fuzzer with ASan and UBSan).
#   make fuzz         runs every harness for FUZZ_SECONDS (default 180) each
#   make fuzz-smoke   runs each briefly (FUZZ_SMOKE_SECONDS, default 10):
#                     replays the whole seed corpus, then mutates a little
#   make fuzz-build   only builds them
#   make fuzz-one FUZZ_TARGET=query [FUZZ_SECONDS=..]
#   make hostile      replays tests/hostile/cases.jsonl against tests/serve
#                     fcgi with the binaries of $(B) (HOSTILE_ARGS=--compare
#                     also runs the reference and compares statuses)
# Objects and binaries go to $(B)/fuzz; inputs the fuzzer finds go to
# $(B)/fuzz/corpus/<harness> (the seeds in tests/fuzz/corpus/<harness> are
# only read), crashes to $(B)/fuzz/crashes/.  A crash becomes a seed
# (regression input) in tests/fuzz/corpus/<harness>/ once it is fixed.
ifndef FUZZ_MK_INCLUDED
FUZZ_MK_INCLUDED := 1

B         ?= build
CSTD      ?= -std=c11 -D_GNU_SOURCE
LIBS_CORE ?= -ljson-c -luuid -linih -lyaml
LIBS_DB   ?= -lsqlite3 -lmariadb

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 180
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_DIR     := $(B)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Others' files are not held to clang's extra warnings here (gcc's
# -Werror build is the gate); the harnesses are.
FUZZ_CFLAGS  := $(CSTD) -Wall -Wextra -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_NAMES   := query mv uuid config policy app_body host
FUZZ_BINS    := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_NAMES))
FUZZ_CORE    := $(sort $(wildcard common/*/*.c)) host/host.c \
                $(filter-out sql/sync%,$(sort $(wildcard sql/*.c)))
FUZZ_OBJ     := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_CORE) tests/fuzz/fuzz_common.c) \
                $(FUZZ_DIR)/obj/gen/data.o $(FUZZ_DIR)/obj/sync.o $(FUZZ_DIR)/obj/sql/sync_mysql.o
FUZZ_DEPS    := $(wildcard common/*/*.h sql/*.h sql/*.def host/*.h tests/fuzz/*.h)
# ASan's leak check stays on; libFuzzer's own limits keep runs bounded.
FUZZ_RUN_OPTS := -rss_limit_mb=2048 -timeout=10 -max_len=16384 -print_final_stats=0
FUZZ_ENV     := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

fuzz-deps:
	sh tools/deps.sh fuzz

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) \
	  $(LIBS_DB) $(LIBS_CORE) -lm

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# placement-sync's own code makes each fuzzing process its database.
$(FUZZ_DIR)/obj/sync.o: sql/sync.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Dmain=placement_sync_main -c $< -o $@

$(FUZZ_DIR)/gen/data.c: $(EMBED_FILES) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $@ $(EMBED)

$(FUZZ_DIR)/obj/gen/data.o: $(FUZZ_DIR)/gen/data.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# Runs one harness ($1) for $2 seconds over its seeds; one job, one core.
define fuzz_run
	@mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/crashes
	@echo "fuzz: $(1) for $(2)s"
	@$(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_RUN_OPTS) -max_total_time=$(2) \
	  -artifact_prefix=$(FUZZ_DIR)/crashes/$(1)- \
	  $(if $(wildcard tests/fuzz/$(1).dict),-dict=tests/fuzz/$(1).dict) \
	  $(FUZZ_DIR)/corpus/$(1) tests/fuzz/corpus/$(1) 2>$(FUZZ_DIR)/$(1).log \
	  || { tail -n 60 $(FUZZ_DIR)/$(1).log; echo "fuzz: $(1) FAILED (log: $(FUZZ_DIR)/$(1).log)"; exit 1; }
	@grep -E '^Done|^#[0-9]+.*DONE' $(FUZZ_DIR)/$(1).log | tail -n 1 | sed 's/^/fuzz: $(1): /'

endef

fuzz: fuzz-deps
	$(MAKE) -f $(firstword $(MAKEFILE_LIST)) fuzz-build
	$(foreach n,$(FUZZ_NAMES),$(call fuzz_run,$(n),$(FUZZ_SECONDS)))
	@echo "fuzz: $(words $(FUZZ_NAMES)) passed, 0 failed"

fuzz-smoke: fuzz-deps
	$(MAKE) -f $(firstword $(MAKEFILE_LIST)) fuzz-build
	$(foreach n,$(FUZZ_NAMES),$(call fuzz_run,$(n),$(FUZZ_SMOKE_SECONDS)))
	@echo "fuzz-smoke: $(words $(FUZZ_NAMES)) passed, 0 failed"

fuzz-one: fuzz-deps
	$(MAKE) -f $(firstword $(MAKEFILE_LIST)) $(FUZZ_DIR)/fuzz_$(FUZZ_TARGET)
	$(call fuzz_run,$(FUZZ_TARGET),$(FUZZ_SECONDS))

hostile:
	B=$(B) tests/hostile/run $(HOSTILE_ARGS)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-deps fuzz-one hostile
endif
