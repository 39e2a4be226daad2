# install.mk: `make install` and `make uninstall` (included from the
# Makefile; alone: make -f Makefile -f install.mk install).
#
#   make install PREFIX=/usr/local DESTDIR=/tmp/stage
#
# installs the three programs (placement-sync also as placement-manage and
# placement-status) and the MariaDB plugin, their man pages, a sample placement.conf,
# the JSON error documents and the web server configurations as examples,
# filled in with the installed paths.  Settings (make variables):
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBEXECDIR  ?= $(PREFIX)/lib/placement
DATADIR     ?= $(PREFIX)/share/placement
DOCDIR      ?= $(PREFIX)/share/doc/placement
EXAMPLESDIR ?= $(DOCDIR)/examples
MANDIR      ?= $(PREFIX)/share/man
SYSCONFDIR  ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
CONFDIR     ?= $(SYSCONFDIR)/placement
RUNDIR      ?= /run/placement
STATEDIR    ?= /var/lib/placement
# Where the example configurations listen (placement's usual port; on
# loopback, since whoever reaches it is the configured identity).
LISTEN_ADDR ?= 127.0.0.1
LISTEN_PORT ?= 8778
B           ?= build

INSTALL := install
# The examples' @VARS@, filled in with the installed paths.
SUBST = sed -e 's|@PORT@|$(LISTEN_PORT)|g' -e 's|@BIND@|$(LISTEN_ADDR)|g' \
            -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' -e 's|@CONFIG@|$(CONFDIR)/placement.conf|g' \
            -e 's|@RUNDIR@|$(RUNDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g'

# Example configurations: source -> name under $(EXAMPLESDIR).
EXAMPLES := apache/placement-fcgid.conf apache/placement-cgi.conf \
            nginx/placement.conf nginx/placement-fcgi.service \
            lighttpd/deploy-fcgi.conf lighttpd/deploy-cgi.conf \
            etc/tmpfiles-placement.conf
ERRORDOCS := $(notdir $(wildcard share/errors/*.json))
MANPAGES  := placement-fcgi.8 placement.cgi.8 placement-sync.8 placement-manage.8 placement-status.8

install: $(B)/placement-fcgi $(B)/placement.cgi $(B)/placement-sync $(B)/placement-mariadb.so
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)/errors \
	  $(DESTDIR)$(CONFDIR) $(DESTDIR)$(MANDIR)/man8 \
	  $(DESTDIR)$(EXAMPLESDIR)/apache $(DESTDIR)$(EXAMPLESDIR)/nginx \
	  $(DESTDIR)$(EXAMPLESDIR)/lighttpd $(DESTDIR)$(EXAMPLESDIR)/etc
	$(INSTALL) -m 755 $(B)/placement-sync $(DESTDIR)$(BINDIR)/placement-sync
	ln -sf placement-sync $(DESTDIR)$(BINDIR)/placement-manage
	ln -sf placement-sync $(DESTDIR)$(BINDIR)/placement-status
	$(INSTALL) -m 755 $(B)/placement-fcgi $(B)/placement.cgi $(DESTDIR)$(LIBEXECDIR)/
	$(INSTALL) -m 644 $(B)/placement-mariadb.so $(DESTDIR)$(LIBEXECDIR)/
	$(SUBST) nginx/placement-fcgi-spawn > $(DESTDIR)$(LIBEXECDIR)/placement-fcgi-spawn
	chmod 755 $(DESTDIR)$(LIBEXECDIR)/placement-fcgi-spawn
	$(INSTALL) -m 644 lighttpd/deploy-identity.lua $(DESTDIR)$(DATADIR)/
	$(INSTALL) -m 644 $(addprefix share/errors/,$(ERRORDOCS)) $(DESTDIR)$(DATADIR)/errors/
	# lighttpd looks for <status>.html
	for f in $(ERRORDOCS); do ln -sf $$f $(DESTDIR)$(DATADIR)/errors/$${f%.json}.html; done
	$(INSTALL) -m 644 etc/placement.conf.sample $(DESTDIR)$(CONFDIR)/placement.conf.sample
	for f in $(EXAMPLES); do \
	  $(SUBST) $$f > $(DESTDIR)$(EXAMPLESDIR)/$$f && chmod 644 $(DESTDIR)$(EXAMPLESDIR)/$$f || exit 1; \
	done
	$(INSTALL) -m 644 $(addprefix man/,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man8/

# Removes what install put there (not placement.conf nor the database).
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,placement-sync placement-manage placement-status)
	rm -f $(addprefix $(DESTDIR)$(LIBEXECDIR)/,placement-fcgi placement.cgi placement-fcgi-spawn placement-mariadb.so)
	rm -f $(DESTDIR)$(DATADIR)/deploy-identity.lua
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/errors/,$(ERRORDOCS) $(ERRORDOCS:.json=.html))
	rm -f $(DESTDIR)$(CONFDIR)/placement.conf.sample
	rm -f $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(EXAMPLES))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(MANPAGES))
	-rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)/errors $(DESTDIR)$(DATADIR) \
	  $(DESTDIR)$(EXAMPLESDIR)/apache $(DESTDIR)$(EXAMPLESDIR)/nginx \
	  $(DESTDIR)$(EXAMPLESDIR)/lighttpd $(DESTDIR)$(EXAMPLESDIR)/etc \
	  $(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(CONFDIR) 2>/dev/null

.PHONY: install uninstall
