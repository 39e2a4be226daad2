# placement in C.  `make` builds the release binaries into build/;
# `make check` builds a sanitizer copy into build/asan/ and runs every test;
# that copy is also the test build: it carries the fault injection of
# sql/fault.c (-DPLACEMENT_FAULTS), which the release binaries never do.
CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
LIBS_CORE := -ljson-c -luuid -linih -lyaml
LIBS_DB   := -lsqlite3 -lmariadb

COMMON_SRC := $(sort $(wildcard common/*/*.c))
SQL_SRC    := $(filter-out sql/sync% sql/mysql_db.c sql/ops.c sql/upgrade.c sql/revisions.c,$(sort $(wildcard sql/*.c)))
HOST_SRC   := host/host.c
SYNC_SRC   := $(sort $(wildcard sql/sync*.c)) sql/ops.c sql/upgrade.c sql/revisions.c sql/mysql_db.c
# The MariaDB backend, a plugin of the front ends (host/mariadb_plugin.c):
# its code and its own copy of the statement texts (and, in the test
# build, of the fault plans it reads).
PLUGIN_SRC := sql/mysql_db.c sql/statements.c sql/fault.c

B  ?= build
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

all: $(B)/placement-fcgi $(B)/placement.cgi $(B)/placement-sync $(B)/placement-mariadb.so \
     $(B)/placement-manage $(B)/placement-status

# Generated C for the data files (standard classes and traits, schemas):
# each file and the C name it gets (also used by tests/unit and tests/fuzz).
EMBED := data/standard-resource-classes.txt std_classes data/standard-traits.txt std_traits \
         sql/schema.sql schema_sql sql/schema-totals.sql schema_totals_sql \
         sql/schema-changes.sql schema_changes_sql \
         sql/schema-mysql.sql schema_mysql_sql sql/schema-mysql-changes.sql schema_mysql_changes_sql \
         sql/upgrade-422ece571366.sql upgrade_422ece571366_sql \
         sql/upgrade-422ece571366-mysql.sql upgrade_422ece571366_mysql_sql \
         sql/upgrade-a082b8bb98d0.sql upgrade_a082b8bb98d0_sql \
         sql/upgrade-a082b8bb98d0-mysql.sql upgrade_a082b8bb98d0_mysql_sql
EMBED_FILES := $(filter-out std_% schema_% upgrade_%,$(EMBED))
$(B)/gen/data.c: $(EMBED_FILES) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $@ $(EMBED)

$(B)/obj/%.o: %.c $(wildcard common/*/*.h sql/*.h sql/*.def host/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(B)/obj/gen/data.o: $(B)/gen/data.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

CORE_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(COMMON_SRC) $(SQL_SRC) $(HOST_SRC)) $(B)/obj/gen/data.o
FRONT_OBJ := $(CORE_OBJ) $(B)/obj/host/mariadb_plugin.o

# The front ends load libmariadb only through the plugin (sqlite alone here).
$(B)/placement-fcgi: $(FRONT_OBJ) $(B)/obj/fcgi/main.o
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ -lfcgi -lsqlite3 $(LIBS_CORE) $(EXTRA_LDFLAGS)

# A CGI process starts for every request: its libraries are linked in
# (Debian's static archives of the same packages), so that the dynamic
# loader resolves libc's symbols only (GET /: 1.6M -> 0.4M instructions).
# A security update of one of them needs a rebuild (the FastCGI responder
# keeps them shared).  CGI_LINK=shared links them as shared libraries
# instead: the Debian package does, so that Debian's security updates of
# those libraries reach the CGI program too.
CGI_LINK ?= static
ifeq ($(CGI_LINK),shared)
CGI_LIBS := -lsqlite3 $(LIBS_CORE) -lm
else
CGI_LIBS := -Wl,-Bstatic -lsqlite3 $(LIBS_CORE) -Wl,-Bdynamic -lm
endif
$(B)/placement.cgi: $(FRONT_OBJ) $(B)/obj/cgi/main.o
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ $(CGI_LIBS) $(EXTRA_LDFLAGS)

$(B)/placement-sync: $(CORE_OBJ) $(patsubst %.c,$(B)/obj/%.o,$(SYNC_SRC))
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ $(LIBS_DB) $(LIBS_CORE) $(EXTRA_LDFLAGS)

# upstream's operator commands: placement-sync under their names (sql/ops.c)
$(B)/placement-manage $(B)/placement-status: $(B)/placement-sync
	ln -sf placement-sync $@

$(B)/pic/%.o: %.c $(wildcard common/*/*.h sql/*.h sql/*.def host/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -fPIC -c $< -o $@

$(B)/placement-mariadb.so: $(patsubst %.c,$(B)/pic/%.o,$(PLUGIN_SRC))
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -shared -o $@ $^ -lmariadb $(EXTRA_LDFLAGS)

asan:
	$(MAKE) B=build/asan EXTRA_CFLAGS="$(SAN) -DPLACEMENT_FAULTS" EXTRA_LDFLAGS="$(SAN)" all

clean:
	rm -rf build

.PHONY: all asan clean check unit

# The Debian package (debian/), built by dpkg-buildpackage from a copy of
# the tree in $(B)/deb/ (the build would otherwise clean build/): leaves
# $(B)/deb/placement-c_<version>_<arch>.deb (and -dbgsym) and lintian's
# report in $(B)/deb/lintian.txt (it fails on an error).
DEB_DIR := $(B)/deb
deb:
	sh tools/deps.sh deb
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/placement-c
	tar --exclude=./build --exclude=./.git --exclude=./run -cf - . | tar -C $(DEB_DIR)/placement-c -xf -
	cd $(DEB_DIR)/placement-c && dpkg-buildpackage -us -uc -b -Jauto >../build.log 2>&1 || { tail -30 ../build.log; exit 1; }
	lintian --pedantic -I $(DEB_DIR)/placement-c_*.changes >$(DEB_DIR)/lintian.txt 2>&1; \
	  cat $(DEB_DIR)/lintian.txt; ! grep -q '^E:' $(DEB_DIR)/lintian.txt
	ls $(DEB_DIR)/*.deb

.PHONY: deb

# --- tests ---
-include tests/unit/unit.mk
-include tests/unit-policy/policy.mk
-include install.mk
-include tests/fuzz/fuzz.mk

deps:
	sh tools/deps.sh test

# Everything, with the sanitizer build: unit tests, our own gabbi tests
# and the reference's conformance tests (8.0.0's and upstream 15.0.0's),
# through FastCGI, CGI and MariaDB,
# and allocation candidates compared with the reference on random data
# (50 s of queries, 20 s more to shrink a failure; it prints the seed to replay).
# The release build runs what a sanitizer would distort or slow past use:
# conformance through CGI (a sanitized process per request: 3x as long;
# CGI under the sanitizers stays in tests/hostile --mode cgi), valgrind's
# memory test, the soak's RSS figures, the deployments and the package.
check: deps
	$(MAKE) asan
	$(MAKE) B=build/asan unit unit-policy
	B=build/asan tests/unit-policy/policy-file-test
	B=build/asan tests/gabbi/run
	B=build/asan tests/bodies/run
	B=build/asan tests/view/run
	B=build/asan tests/conformance/run fcgi fcgi-mariadb
	B=build/asan tests/conformance/run fcgi fcgi-mariadb -- --upstream 15.0.0
	B=build/asan tests/ac-diff/run --seconds 50 --shrink-budget 20
	B=build/asan tests/ac-cache/run
	B=build/asan tests/ac-cache/run --mariadb
	B=build/asan tests/concurrency/run
	B=build/asan tests/concurrency/run --mariadb
	B=build/asan tests/faults/run
	B=build/asan tests/galera/run --seconds 30
	B=build/asan tests/dropin/run
	B=build/asan tests/ops/run
	B=build/asan tests/revisions/run
	B=build/asan tests/crash/run
	B=build/asan tests/powerloss/run --trials 24 --normal-trials 6
	B=build/asan tests/disk/run
	B=build/asan tests/limits/run
	B=build/asan tests/hostile/run
	B=build/asan tests/hostile/run --mode cgi
	$(MAKE) fuzz-smoke
	$(MAKE) all
	B=build tests/conformance/run cgi
	B=build tests/conformance/run cgi -- --upstream 15.0.0
	B=build tests/memory/run
	B=build tests/soak/run --minutes 3 --providers 1000 --interval 30 --warmup 1.5
	B=build tests/deploy/run
	tests/package/run

.PHONY: deps

# Development server on 127.0.0.1:8778 (foreground), database in run/.
serve:
	sh tools/deps.sh test
	$(MAKE) all
	mkdir -p run
	PORT=8778 DB_PATH=$(CURDIR)/run/placement.sqlite B=build tests/serve fcgi

.PHONY: serve
