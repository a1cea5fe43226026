#!/usr/bin/env bash
# The main job on the embedded default (SQLite) in a new temp directory: Odoo
# behind Apache with a Let's Encrypt certificate, the SME way. Where apache2,
# dehydrated and pebble are installed, the whole story runs on 127.0.0.1:
# pebble as the CA, a node server standing in for Odoo, Apache started by the
# events; issuance, HTTPS, the redirect and the proxy are each shown by one
# curl line. Elsewhere (or with SMECONF_DEMO_LAB=no) it shows the generated
# files and says what it skipped.
# Never touches the real /etc, /home/e-smith or any system service; stops
# what it started (by PID) and removes its temp directory, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
DEMO="$(mktemp -d "${TMPDIR:-/tmp}/smeconf-demo.XXXXXX")"
chmod 755 "$DEMO" # Apache's children (www-data when run as root) read under it
R="$DEMO/root"
LAB="$DEMO/lab"
mkdir -m 755 "$R" "$LAB"
export SMECONF_ROOT="$R"
export SMECONF_SERVICE_MANAGER=none # no system service; the demo's Apache is a `command` service (below)
unset SMECONF_BACKEND DBPATH
PIDS=()

cleanup() {
  local pidfile="$R/var/run/smeconf/httpd-e-smith.pid"
  if [ -s "$pidfile" ]; then PIDS+=("$(cat "$pidfile")"); fi
  if [ "${#PIDS[@]}" -gt 0 ]; then
    kill "${PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "${PIDS[@]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${PIDS[@]}" 2>/dev/null || true
  fi
  rm -rf "$DEMO"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() {
  printf '\n$ %s\n' "$*"
  "$@"
}
# polls (bounded) until the command succeeds: for processes the demo started
await() {
  local what="$1"
  shift
  for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "demo: timed out waiting for $what (logs in $LAB)" >&2
  return 1
}

D=example.org
NAMES=("$D" "www.$D" "mail.$D" "odoo.$D")
MISSING=()
for program in /usr/sbin/apache2 /usr/bin/dehydrated /usr/bin/pebble /usr/bin/pebble-challtestsrv /usr/bin/curl /usr/bin/openssl; do
  [ -x "$program" ] || MISSING+=("$program")
done
if [ "${#MISSING[@]}" -gt 0 ]; then
  WHY="${MISSING[*]} not installed (apt-get install apache2 dehydrated pebble curl openssl)"
elif [ "${SMECONF_DEMO_LAB:-yes}" = no ]; then
  WHY='SMECONF_DEMO_LAB=no'
  MISSING=(none)
fi
read -r ACME MGMT DNS DNSMGMT HTTP HTTPS TLSALPN BACKEND < <(node -e '
  const net = require("node:net");
  Promise.all(Array.from({ length: 8 }, () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)); })))
    .then((servers) => { console.log(servers.map((s) => s.address().port).join(" ")); servers.forEach((s) => s.close()); });')

if [ "${#MISSING[@]}" -eq 0 ]; then
  echo "The lab, all on 127.0.0.1: pebble (the CA) :$ACME, its DNS :$DNS, Odoo stand-in :$BACKEND; Apache will listen on :$HTTP and :$HTTPS"
  # pebble's own listener needs a certificate
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -days 2 -subj '/CN=demo listener CA' -keyout "$LAB/ca.key" -out "$LAB/ca.pem" 2>/dev/null
  openssl req "${ec[@]}" -subj /CN=localhost -keyout "$LAB/key.pem" -out "$LAB/listener.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$LAB/ext.cnf"
  openssl x509 -req -in "$LAB/listener.csr" -CA "$LAB/ca.pem" -CAkey "$LAB/ca.key" -CAcreateserial -days 2 -extfile "$LAB/ext.cnf" -out "$LAB/cert.pem" 2>/dev/null
  pebble-challtestsrv -defaultIPv4 '' -defaultIPv6 '' -dns01 "127.0.0.1:$DNS" -http01 '' -https01 '' -tlsalpn01 '' -management "127.0.0.1:$DNSMGMT" >"$LAB/challtestsrv.log" 2>&1 &
  PIDS+=($!)
  await 'the DNS' curl -s -o /dev/null "http://127.0.0.1:$DNSMGMT/"
  for name in "${NAMES[@]}"; do curl -sS -o /dev/null -X POST -d "{\"host\":\"$name\",\"addresses\":[\"127.0.0.1\"]}" "http://127.0.0.1:$DNSMGMT/add-a"; done
  printf '{"pebble":{"listenAddress":"127.0.0.1:%s","managementListenAddress":"127.0.0.1:%s","certificate":"%s","privateKey":"%s","httpPort":%s,"tlsPort":%s,"ocspResponderURL":"","externalAccountBindingRequired":false}}\n' \
    "$ACME" "$MGMT" "$LAB/cert.pem" "$LAB/key.pem" "$HTTP" "$TLSALPN" >"$LAB/pebble.json"
  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 pebble -config "$LAB/pebble.json" -dnsserver "127.0.0.1:$DNS" -strict=false >"$LAB/pebble.log" 2>&1 &
  PIDS+=($!)
  await pebble curl -sf --cacert "$LAB/ca.pem" "https://127.0.0.1:$ACME/dir"
  curl -sSf --cacert "$LAB/ca.pem" -o "$LAB/pebble-root.pem" "https://127.0.0.1:$MGMT/roots/0"
  node test/fixtures/odoo-backend.mjs "$BACKEND" >"$LAB/backend.log" 2>&1 &
  PIDS+=($!)
  await 'the Odoo stand-in' curl -sf "http://127.0.0.1:$BACKEND/"
  # curl's options for the lab: the names resolve to 127.0.0.1, pebble's root is trusted
  { for name in "${NAMES[@]}"; do printf 'resolve = %s:%s:127.0.0.1\nresolve = %s:%s:127.0.0.1\n' "$name" "$HTTP" "$name" "$HTTPS"; done
    printf 'cacert = %s\nsilent\nshow-error\nmax-time = 10\n' "$LAB/pebble-root.pem"; } >"$LAB/curlrc"
else
  echo "Skipping issuance, HTTPS, the redirect and the proxy: $WHY; showing the generated files instead."
  BACKEND=8069 # where Odoo listens on a real server
fi

step signal-event bootstrap-console-save
if [ "${#MISSING[@]}" -eq 0 ]; then
  printf '\n# the lab, not SME: Apache on 127.0.0.1 high ports, started and reloaded by the events\n'
  step config setprop httpd-e-smith TCPPort "$HTTP" ListenAddress 127.0.0.1 ServiceManager command reloadSignal SIGUSR1 \
    startCommand "[\"/usr/sbin/apache2\",\"-f\",\"$R/etc/httpd/conf/httpd.conf\",\"-D\",\"FOREGROUND\"]"
  step config setprop modSSL TCPPort "$HTTPS"
  echo '<h1>MAIN-SITE</h1>' >"$R/home/e-smith/files/ibays/Primary/html/index.html"
  # what dehydrated trusts (pebble's listener) and what the certificate chains to (pebble's root), one bundle
  # inside the root (smeconf reads no record's path outside it); the preflight asks the lab's DNS
  mkdir -p "$R/etc/ssl/lab"
  cat "$LAB/ca.pem" "$LAB/pebble-root.pem" >"$R/etc/ssl/lab/ca-bundle.pem"
  CA_PROPS=(ACMEDirectory "https://127.0.0.1:$ACME/dir" CABundle "$R/etc/ssl/lab/ca-bundle.pem" CheckResolver "127.0.0.1:$DNS")
else
  CA_PROPS=()
fi
step config set DomainName "$D"
step signal-event console-save
step db domains setprop "$D" letsencryptSSLcert enabled
step db hosts setprop "www.$D" letsencryptSSLcert enabled
step db hosts setprop "mail.$D" letsencryptSSLcert enabled
step db domains set "odoo.$D" domain ProxyPassTarget "http://127.0.0.1:$BACKEND/" HttpsRedirect enabled letsencryptSSLcert enabled
step config setprop letsencrypt status test email "admin@$D" ACCEPT_TERMS yes keysize 2048 "${CA_PROPS[@]}"
step signal-event console-save

printf '\n--- %s\n' "$R/etc/dehydrated/domains.txt"
cat "$R/etc/dehydrated/domains.txt"
printf '\n--- %s\n' "$R/etc/dehydrated/config"
cat "$R/etc/dehydrated/config"
printf '\n--- the odoo.%s VirtualHosts of %s\n' "$D" "$R/etc/httpd/conf/httpd.conf"
awk -v name="    ServerName odoo.$D" '/^<VirtualHost/ { block = $0; next } block != "" { block = block "\n" $0 } $0 == name { keep = 1 } /^<\/VirtualHost>/ { if (keep) print block "\n"; block = ""; keep = 0 }' "$R/etc/httpd/conf/httpd.conf"
if [ -x /usr/sbin/apache2 ]; then
  step /usr/sbin/apache2 -t -f "$R/etc/httpd/conf/httpd.conf"
else
  printf '\n(apache2 is not installed: its syntax check was skipped)\n'
fi

if [ "${#MISSING[@]}" -eq 0 ]; then
  await 'Apache' curl -K "$LAB/curlrc" -o /dev/null "http://$D:$HTTP/"
  step smeconf cert check
  step smeconf letsencrypt renew
  await 'the issued certificate' curl -K "$LAB/curlrc" -o /dev/null "https://$D:$HTTPS/"
  printf '\n(curl -K lab/curlrc: the names resolve to 127.0.0.1, pebble'"'"'s root is the trusted CA)\n'
  printf '\n# issue: the certificate Apache serves, from the CA\n$ curl -K lab/curlrc -o /dev/null -w %%{certs} https://%s:%s/ | grep ...\n' "$D" "$HTTPS"
  curl -K "$LAB/curlrc" -o /dev/null -w '%{certs}' "https://$D:$HTTPS/" | grep -E '^(Subject|Issuer|X509v3 Subject Alternative Name):' | head -3
  printf '\n# serve: the main site on HTTPS\n$ curl -K lab/curlrc https://www.%s:%s/\n' "$D" "$HTTPS"
  curl -K "$LAB/curlrc" "https://www.$D:$HTTPS/"
  printf '\n# redirect: HTTP to HTTPS\n$ curl -K lab/curlrc -o /dev/null -w "%%{http_code} %%{redirect_url}" http://odoo.%s:%s/web/login\n' "$D" "$HTTP"
  curl -K "$LAB/curlrc" -o /dev/null -w '%{http_code} %{redirect_url}\n' "http://odoo.$D:$HTTP/web/login"
  printf '\n# proxy: Odoo (the stand-in) behind Apache\n$ curl -K lab/curlrc https://odoo.%s:%s/web\n' "$D" "$HTTPS"
  curl -K "$LAB/curlrc" "https://odoo.$D:$HTTPS/web"
  step smeconf cert status
  printf '\nDone: issued, served, redirected, proxied. Stopping Apache (PID %s), pebble, its DNS and the Odoo stand-in (PIDs %s); removing %s.\n' \
    "$(cat "$R/var/run/smeconf/httpd-e-smith.pid")" "${PIDS[*]}" "$DEMO"
else
  printf '\nSkipped (%s): issuance, HTTPS, the redirect and the proxy. Removing %s.\n' "$WHY" "$DEMO"
fi
