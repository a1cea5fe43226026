#!/usr/bin/env bash
# The main job on the embedded default: SQLite in a scratch root. Puts Odoo
# behind Apache with a Let's Encrypt certificate (test mode) the SME way,
# then shows the generated files. Never touches the real /etc, /home/e-smith
# or any system service.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export SMECONF_ROOT="${SMECONF_ROOT:-$(mktemp -d "${TMPDIR:-/tmp}/smeconf-demo.XXXXXX")}"
export SMECONF_SERVICE_MANAGER=none   # a scratch root: say what would be done to services, do nothing
unset SMECONF_BACKEND DBPATH
R="$SMECONF_ROOT"
mkdir -p "$R/home/e-smith/db" "$R/etc/httpd/conf" "$R/etc/dehydrated" "$R/usr/bin" "$R/etc/cron.daily" \
  "$R/home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge" "$R/var/run/apache2" "$R/var/log/apache2"

step() {
  printf '\n$ %s\n' "$*"
  "$@"
}

step signal-event bootstrap-console-save
step config set DomainName example.com
step db domains set example.com domain letsencryptSSLcert enabled
step db hosts set www.example.com host HostType Self letsencryptSSLcert enabled
step db hosts set mail.example.com host HostType Self letsencryptSSLcert enabled
step db domains set odoo.example.com domain ProxyPassTarget http://127.0.0.1:8069/ HttpsRedirect enabled letsencryptSSLcert enabled
step config setprop letsencrypt status test email admin@example.com
step signal-event console-save

printf '\n--- %s\n' "$R/etc/dehydrated/domains.txt"
cat "$R/etc/dehydrated/domains.txt"
printf '\n--- %s\n' "$R/etc/dehydrated/config"
cat "$R/etc/dehydrated/config"
printf '\n--- the VirtualHost section of %s\n' "$R/etc/httpd/conf/httpd.conf"
sed -n '/^<VirtualHost/,$p' "$R/etc/httpd/conf/httpd.conf"
if [ -x /usr/sbin/apache2 ]; then
  printf '\n$ apache2 -t -f %s\n' "$R/etc/httpd/conf/httpd.conf"
  /usr/sbin/apache2 -t -f "$R/etc/httpd/conf/httpd.conf"
else
  printf '\n(apache2 is not installed: its syntax check was skipped)\n'
fi
printf '\nfiles generated under %s (SQLite store: %s; event log: %s)\n' "$R" "$R/home/e-smith/db/smeconf.sqlite" "$R/var/log/smeconf/events.log"
