// One `expand-template` call rendering one VirtualHost per domain and port,
// wall time (median of 5 runs), peak RSS and × a bare `node -e 0` run
// interleaved with it, at 1,000 and 10,000 domains (`--quick`: 1,000):
//
// (1) the isolated 10-fragment shape: a template path of its own
//     (/etc/bench/vhosts.conf, which the stock tree does not have, so no
//     stock fragment merges in): 10 fragments per VirtualHost, one
//     VirtualHost per domain and port 80/443, the shape compared with the
//     original SME (Perl needs ~78 s for 10,000 domains × 2 ports);
// (2) the real stock httpd.conf (templates/etc/httpd/conf/httpd.conf and its
//     VirtualHosts sub-template, 05vars.mjs and 10ServerName.mjs included):
//     stock databases (initialize-default-databases), modSSL's self-signed
//     certificate set (so HTTPS is on: two VirtualHosts per domain) and N
//     domain records with letsencryptSSLcert enabled.
//
// The stock metadata's CHECK runs `apache2 -t` on the staged file: it fails
// in a scratch root and, at 20,000 VirtualHosts, costs seconds of Apache's
// own. smeconf's work is measured without it: the root's own
// etc/e-smith/templates.metadata/etc/httpd/conf/httpd.conf (first in the
// metadata queue, which takes the first file found whole) holds no CHECK.
// Where apache2 is installed, `apache2 -t` on the 10,000-domain output is
// timed separately, for information.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_BIN, EXPAND_BIN, QUICK, REPO, SMECONF_BIN, importDomains, machine, median, ratioLine, runOrThrow, scratchRoot } from './_measure.mjs';

const RSS_PROBE = join(REPO, 'bench/_report-rss.mjs');
const RUNS = 5;
const SIZES = QUICK ? [1_000] : [1_000, 10_000];
const APACHE = '/usr/sbin/apache2';

const ISOLATED_PATH = '/etc/bench/vhosts.conf';
const STOCK_PATH = '/etc/httpd/conf/httpd.conf';

/** The 10 fragments of one VirtualHost in the isolated shape. */
const VHOST_FRAGMENTS = [
  '<VirtualHost *:{{port}}>\n',
  '    ServerName {{virtualHost}}\n',
  '    ServerAlias www.{{virtualHost}}\n',
  '{{#if (eq port 443)}}\n    SSLEngine on\n    SSLCertificateFile {{modSSL.crt}}\n{{/if}}\n',
  '    DocumentRoot /home/e-smith/files/ibays/Primary/html\n',
  '    Alias /.well-known/acme-challenge/ /home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge/\n',
  '{{#if (eq port 80)}}\n    RewriteEngine on\n    RewriteRule ^/(.*) https://%{HTTP_HOST}/$1 [R=301,L]\n{{/if}}\n',
  '    ErrorLog /var/log/httpd/{{virtualHost}}-error_log\n',
  '    CustomLog /var/log/httpd/{{virtualHost}}-access_log combined\n',
  '</VirtualHost>\n',
];

function setUpIsolated(domains) {
  const scratch = scratchRoot();
  const tpl = join(scratch.root, 'etc/e-smith/templates', ISOLATED_PATH);
  const vh = join(tpl, 'VirtualHosts');
  mkdirSync(vh, { recursive: true });
  writeFileSync(join(tpl, '10listen'), 'Listen 80\nListen {{prop "modSSL" "TCPPort" "443"}}\n');
  writeFileSync(join(tpl, '80VirtualHosts'), '{{#each (records "domains" type="domain")}}\n{{expand "VirtualHosts" virtualHost=key port=80}}\n{{expand "VirtualHosts" virtualHost=key port=443}}\n{{/each}}\n');
  writeFileSync(join(vh, 'template-begin'), '');
  VHOST_FRAGMENTS.forEach((text, i) => writeFileSync(join(vh, `${String(i * 10).padStart(2, '0')}f`), text));
  importDomains(scratch.root, scratch.env, domains);
  writeFileSync(join(scratch.root, 'configuration.flat'), 'modSSL=service|TCPPort|443|crt|/etc/ssl/cert.pem\n');
  runOrThrow(['node', SMECONF_BIN, 'import', 'configuration', join(scratch.root, 'configuration.flat')], scratch.env);
  return { scratch, path: ISOLATED_PATH };
}

function setUpStock(domains) {
  const scratch = scratchRoot();
  importDomains(scratch.root, scratch.env, domains);
  runOrThrow(['node', SMECONF_BIN, 'initialize-default-databases'], scratch.env); // + example.com and its hosts
  const ssl = join(scratch.root, 'etc/ssl');
  mkdirSync(ssl, { recursive: true });
  runOrThrow(['node', CONFIG_BIN, 'setprop', 'modSSL', 'SelfSignedCrt', join(ssl, 'self.crt'), 'SelfSignedKey', join(ssl, 'self.key')], scratch.env);
  const metadata = join(scratch.root, 'etc/e-smith/templates.metadata', STOCK_PATH);
  mkdirSync(join(metadata, '..'), { recursive: true });
  writeFileSync(metadata, '# the bench measures smeconf without the stock CHECK (apache2 -t): see the top of bench/templates-httpd.mjs\n');
  return { scratch, path: STOCK_PATH };
}

/** `rounds` runs of the expansion, each right after a bare node, with one unmeasured run first. */
function measure({ scratch, path }) {
  const target = join(scratch.root, path);
  mkdirSync(join(target, '..'), { recursive: true });
  const times = [];
  const bare = [];
  const rss = [];
  for (let round = -1; round < RUNS; round++) {
    rmSync(target, { force: true }); // a fresh target each run, so that every run really renders and writes
    let start = process.hrtime.bigint();
    runOrThrow(['node', '-e', '0'], scratch.env);
    const bareMs = Number(process.hrtime.bigint() - start) / 1e6;
    start = process.hrtime.bigint();
    const out = runOrThrow(['node', '--import', RSS_PROBE, EXPAND_BIN, path], { ...scratch.env, SMECONF_RSS_REPORT: '1' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (round < 0) continue; // fills the compiled-fragment cache and the page cache
    bare.push(bareMs);
    times.push(ms);
    rss.push(Number(/maxrss_kib=(\d+)/.exec(out)?.[1] ?? NaN) / 1024);
  }
  const text = readFileSync(target, 'utf8');
  return { ms: median(times), bare: median(bare), mib: Math.max(...rss), vhosts: text.split('<VirtualHost ').length - 1, bytes: text.length };
}

/** Apache's own syntax check of the stock output, for information: its time and verdict. */
function apacheCheck({ scratch, path }) {
  if (!existsSync(APACHE)) return `${APACHE} not installed: not checked`;
  for (const dir of ['var/run/apache2', 'var/log/apache2', 'home/e-smith/files/ibays/Primary/html']) mkdirSync(join(scratch.root, dir), { recursive: true });
  const ssl = join(scratch.root, 'etc/ssl');
  const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=example.com', '-days', '1', '-keyout', join(ssl, 'self.key'), '-out', join(ssl, 'self.crt')], { encoding: 'utf8' });
  const certNote = cert.status === 0 ? '' : ' (no openssl: the certificate files are missing)';
  runOrThrow(['node', EXPAND_BIN, path], scratch.env); // the output next to the certificate
  const start = process.hrtime.bigint();
  const check = spawnSync(APACHE, ['-t', '-f', join(scratch.root, path)], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const said = `${check.stdout}${check.stderr}`.trim().split('\n').at(-1);
  return `${ms.toFixed(0)} ms, exit ${check.status}: ${said}${certNote}`;
}

const SHAPES = [
  ['isolated 10-fragment shape', setUpIsolated],
  ['stock httpd.conf', setUpStock],
];

console.log(`machine: ${machine()}`);
for (const [shape, setUp] of SHAPES) {
  for (const domains of SIZES) {
    const bench = setUp(domains);
    try {
      const { ms, bare, mib, vhosts, bytes } = measure(bench);
      const label = `${shape}: ${domains} domains (${vhosts} VirtualHosts, ${(bytes / 2 ** 20).toFixed(1)} MiB)`;
      console.log(`${ratioLine(label, ms, bare, 70)}, peak RSS ${mib.toFixed(0)} MiB`);
      if (shape === 'stock httpd.conf' && domains === 10_000) console.log(`  apache2 -t on that output (not part of the figure above): ${apacheCheck(bench)}`);
    } finally {
      bench.scratch.remove();
    }
  }
}
