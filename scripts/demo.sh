#!/usr/bin/env bash
# The main job on the embedded default: SQLite in a scratch root. Shows the
# SME commands at work; never touches the real /etc or /home/e-smith.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export SMECONF_ROOT="${SMECONF_ROOT:-$(mktemp -d "${TMPDIR:-/tmp}/smeconf-demo.XXXXXX")}"
unset SMECONF_BACKEND DBPATH
mkdir -p "$SMECONF_ROOT/home/e-smith/db"

step() {
  printf '\n$ %s\n' "$*"
  "$@"
}

step smeconf initialize-default-databases
step config set DomainName example.com
step db domains set example.com domain letsencryptSSLcert enabled
step db hosts set www.example.com host HostType Self letsencryptSSLcert enabled
step db hosts set odoo.example.com host HostType Self letsencryptSSLcert enabled
step config setprop letsencrypt status test email admin@example.com
step config show letsencrypt
step db hosts print
step config getprop letsencrypt status
step config history letsencrypt
step smeconf export configuration
printf '\nscratch root: %s (SQLite store: %s)\n' "$SMECONF_ROOT" "$SMECONF_ROOT/home/e-smith/db/smeconf.sqlite"
