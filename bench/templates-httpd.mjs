// expand-template of an httpd.conf with one VirtualHost per domain and port
// (10 fragments per VirtualHost) as one call: wall time and peak memory, for
// 1,000 and 10,000 domains (target for 10,000: under 2 s and 300 MiB).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, SMECONF_BIN, machine, median, runOrThrow, scratchRoot } from './_measure.mjs';

const EXPAND_BIN = join(REPO, 'packages/cli/bin/expand-template.cjs');
const RSS_PROBE = join(REPO, 'bench/_report-rss.mjs');

function setUp(domains) {
  const scratch = scratchRoot();
  const tpl = join(scratch.root, 'etc/e-smith/templates/etc/httpd/conf/httpd.conf');
  mkdirSync(join(tpl, 'VirtualHosts'), { recursive: true });
  mkdirSync(join(scratch.root, 'etc/httpd/conf'), { recursive: true });
  writeFileSync(join(tpl, '10listen'), 'Listen 80\nListen {{prop "modSSL" "TCPPort" "443"}}\n');
  writeFileSync(join(tpl, '80VirtualHosts'), '{{#each (records "domains" type="domain")}}\n{{expand "VirtualHosts" virtualHost=key port=80}}\n{{expand "VirtualHosts" virtualHost=key port=443}}\n{{/each}}\n');
  const vh = join(tpl, 'VirtualHosts');
  writeFileSync(join(vh, 'template-begin'), '');
  const fragments = [
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
  fragments.forEach((text, i) => writeFileSync(join(vh, `${String(i * 10).padStart(2, '0')}f`), text));
  const domainsFile = join(scratch.root, 'domains.flat');
  writeFileSync(domainsFile, Array.from({ length: domains }, (_, i) => `d${i}.example.com=domain|letsencryptSSLcert|enabled\n`).join(''));
  runOrThrow(['node', SMECONF_BIN, 'import', 'domains', domainsFile], scratch.env);
  writeFileSync(join(scratch.root, 'configuration.flat'), 'modSSL=service|TCPPort|443|crt|/etc/ssl/cert.pem\n');
  runOrThrow(['node', SMECONF_BIN, 'import', 'configuration', join(scratch.root, 'configuration.flat')], scratch.env);
  return scratch;
}

function measure(scratch, runs) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    // a fresh target each run, so that every run really renders and writes
    runOrThrow(['rm', '-f', join(scratch.root, 'etc/httpd/conf/httpd.conf')], scratch.env);
    const start = process.hrtime.bigint();
    const out = runOrThrow(['node', '--import', RSS_PROBE, EXPAND_BIN, '/etc/httpd/conf/httpd.conf'], { ...scratch.env, SMECONF_RSS_REPORT: '1' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    rss.push(Number(/maxrss_kib=(\d+)/.exec(out)?.[1] ?? NaN) / 1024);
  }
  return { ms: median(times), mib: Math.max(...rss) };
}

console.log(`machine: ${machine()}`);
for (const domains of [1_000, 10_000]) {
  const scratch = setUp(domains);
  try {
    const { ms, mib } = measure(scratch, 5);
    console.log(`${domains} domains × 2 ports (${domains * 2} VirtualHosts, 10 fragments each): ${ms.toFixed(0)} ms, peak RSS ${mib.toFixed(0)} MiB`);
  } finally {
    scratch.remove();
  }
}
