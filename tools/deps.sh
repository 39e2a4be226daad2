#!/bin/sh
# deps.sh [build|test|bench|deb|fuzz|deploy|overload]: installs the Debian packages the project needs
# when they are missing (as root; otherwise it only says what is missing).
set -eu
build="gcc make libfcgi-dev libsqlite3-dev libmariadb-dev libjson-c-dev uuid-dev libinih-dev libyaml-dev sqlite3"
# mariadb-server: tests/mariadb/start-mysqld runs a private server (never the
# system service); galera-4 and rsync: tests/galera/run's three-node cluster
# (mariadb-server depends on both; named for what uses them);
# python3-pymysql: the reference on MariaDB (tests/dropin) and direct reads.
# chromium, chromium-driver and python3-selenium: the view's browser test.
# gnuplot-nox: tests/soak/run's plot (and tools/scale-figure).
test="lighttpd python3-gabbi python3-placement python3-yaml python3-pymysql mariadb-server galera-4 rsync curl valgrind chromium chromium-driver python3-selenium gnuplot-nox"
bench="wrk uwsgi-core uwsgi-plugin-python3"
# make deb (debhelper, dpkg-dev) and tests/package/run (lintian, and
# debootstrap for the clean root it installs the package into).
deb="debhelper dpkg-dev lintian debootstrap systemd"
# The shipped web server configurations, served for real by tests/deploy
# and tests/overload (which drives them with wrk).  Installing apache2 or
# nginx may start them on port 80; the tests use their own ports.
deploy="apache2 libapache2-mod-fcgid nginx lighttpd lighttpd-modules-lua spawn-fcgi python3-gabbi python3-yaml"
want=$build
case "${1:-build}" in
  build) ;;
  test) want="$build $test" ;;
  bench) want="$build $test $bench" ;;
  deb) want="$build $deb" ;;
  fuzz) want="$build clang libclang-rt-14-dev" ;;
  deploy) want="$build $deploy" ;;
  overload) want="$build $deploy wrk" ;;
  *) echo "usage: deps.sh [build|test|bench|deb|fuzz|deploy|overload]" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages:$missing (run as root: apt-get install$missing)" >&2
  exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends $missing >/dev/null
