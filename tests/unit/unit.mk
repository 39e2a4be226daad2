# Unit tests: `make unit` builds tests/unit/*.c against the core objects
# (common/, host/host.c, sql/ without sync) with ASan and UBSan into
# $(B)/unit/ and runs them.  Its objects live in $(B)/unit/obj, apart
# from the release objects, so this target is independent of the others.
ifndef UNIT_MK_INCLUDED
UNIT_MK_INCLUDED := 1

CC        ?= gcc
B         ?= build
CSTD      ?= -std=c11 -D_GNU_SOURCE
WARN      ?= -Wall -Wextra -Werror
LIBS_CORE ?= -ljson-c -luuid -linih
LIBS_DB   ?= -lsqlite3 -lmariadb

UNIT_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
UNIT_CFLAGS := $(CSTD) $(WARN) -O1 -g $(UNIT_SAN) -DPLACEMENT_FAULTS
UNIT_DIR    := $(B)/unit
UNIT_CORE   := $(sort $(wildcard common/*/*.c)) host/host.c \
               $(filter-out sql/sync%,$(sort $(wildcard sql/*.c)))
UNIT_TESTS  := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ    := $(patsubst %.c,$(UNIT_DIR)/obj/%.o,$(UNIT_CORE) $(UNIT_TESTS)) \
               $(UNIT_DIR)/obj/gen/data.o
UNIT_DEPS   := $(wildcard common/*/*.h sql/*.h sql/*.def host/*.h tests/unit/*.h)

unit: $(UNIT_DIR)/run-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 $(UNIT_DIR)/run-tests

$(UNIT_DIR)/run-tests: $(UNIT_OBJ)
	$(CC) $(UNIT_SAN) -o $@ $^ $(LIBS_DB) $(LIBS_CORE) -lm

$(UNIT_DIR)/obj/%.o: %.c $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@

# The embedded data files, as the binaries carry them.
$(UNIT_DIR)/gen/data.c: $(EMBED_FILES) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $@ $(EMBED)

$(UNIT_DIR)/obj/gen/data.o: $(UNIT_DIR)/gen/data.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@

.PHONY: unit
endif
