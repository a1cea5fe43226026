import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** A scratch root with the directories SME's packages create, after bootstrap-console-save. */
function server(): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2']) mkdirSync(join(scratch.path, dir), { recursive: true });
  assert.equal(run(scratch, 'signal-event', ['bootstrap-console-save']).status, 0);
  return scratch;
}

const read = (scratch: Scratch, path: string) => readFileSync(join(scratch.path, path), 'utf8');

function db(scratch: Scratch, ...args: string[]): void {
  const result = run(scratch, 'db', args);
  assert.equal(result.status, 0, `db ${args.join(' ')}: ${result.stderr}`);
}

/** The SME example of [le02]/[le03]: a primary domain, another domain, hosts of both. */
function sampleNames(scratch: Scratch): void {
  run(scratch, 'config', ['set', 'DomainName', 'example.com']);
  db(scratch, 'domains', 'set', 'example.com', 'domain', 'letsencryptSSLcert', 'enabled');
  db(scratch, 'domains', 'set', 'other.org', 'domain', 'letsencryptSSLcert', 'enabled');
  db(scratch, 'domains', 'set', 'third.net', 'domain');
  db(scratch, 'hosts', 'set', 'www.example.com', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled');
  db(scratch, 'hosts', 'set', 'ftp.example.com', 'host', 'HostType', 'Self');
  db(scratch, 'hosts', 'set', 'mail.other.org', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled');
  db(scratch, 'hosts', 'set', 'ext.other.org', 'host', 'HostType', 'Remote', 'letsencryptSSLcert', 'enabled');
}

describe('stock Let\'s Encrypt files', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = server();
    sampleNames(scratch);
  });
  afterEach(() => scratch.remove());

  it('disabled by default: domains.txt and cron say so, hook does nothing', () => {
    assert.equal(run(scratch, 'signal-event', ['console-save']).status, 0);
    assert.equal(read(scratch, 'etc/dehydrated/domains.txt'), '# letsencrypt is disabled\n\n');
    assert.equal(read(scratch, 'etc/cron.daily/letsencrypt'), '# letsencrypt is disabled\n');
    assert.match(read(scratch, 'usr/bin/hook-script.sh'), /\nexit 0\n$/);
    assert.equal(statSync(join(scratch.path, 'usr/bin/hook-script.sh')).mode & 0o777, 0o755);
    assert.equal(statSync(join(scratch.path, 'etc/cron.daily/letsencrypt')).mode & 0o777, 0o755);
  });

  const cases: [string, string][] = [
    ['none', 'example.com www.example.com other.org mail.other.org \n'],
    ['domains', 'example.com www.example.com other.org mail.other.org third.net \n'],
    // with the standard hosts console-save gives the primary domain (mail., proxy., server., wpad. of example.com)
    ['hosts', 'example.com ext.other.org ftp.example.com mail.example.com mail.other.org proxy.example.com server.example.com wpad.example.com www.example.com other.org \n'],
    ['all', 'example.com ext.other.org ftp.example.com mail.example.com mail.other.org proxy.example.com server.example.com wpad.example.com www.example.com other.org third.net \n'],
  ];
  for (const [configure, expected] of cases) {
    it(`domains.txt with configure=${configure}: one line, primary first, each name once`, () => {
      run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'test', 'configure', configure]);
      assert.equal(run(scratch, 'signal-event', ['console-save']).status, 0);
      assert.equal(read(scratch, 'etc/dehydrated/domains.txt'), expected);
    });
  }

  it('config: the CA by status or a custom directory, KEYSIZE, e-mail, hook, a CA bundle to trust', () => {
    run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'test', 'email', "o'brien@example.com", 'keysize', '2048']);
    run(scratch, 'signal-event', ['console-save']);
    const test = read(scratch, 'etc/dehydrated/config');
    assert.match(test, /\nCA="https:\/\/acme-staging-v02\.api\.letsencrypt\.org\/directory"\n/);
    assert.match(test, /\nKEYSIZE='2048'\n/);
    assert.match(test, /\nCONTACT_EMAIL='o'\\''brien@example\.com'\n/);
    assert.match(test, new RegExp(`\\nHOOK='${scratch.path}'/usr/bin/hook-script\\.sh\\n`));
    run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'enabled']);
    run(scratch, 'signal-event', ['console-save']);
    assert.match(read(scratch, 'etc/dehydrated/config'), /\nCA="https:\/\/acme-v02\.api\.letsencrypt\.org\/directory"\n/);
    assert.match(read(scratch, 'etc/cron.daily/letsencrypt'), /^#!\/bin\/sh\n\nSMECONF_BACKEND=sqlite '.*'\/smeconf --root '.*' letsencrypt renew 2>&1 > \/dev\/null\n$/);
    run(scratch, 'config', ['setprop', 'letsencrypt', 'ACMEDirectory', 'https://127.0.0.1:14000/dir', 'CABundle', '/tmp/ca.pem']);
    run(scratch, 'signal-event', ['console-save']);
    const custom = read(scratch, 'etc/dehydrated/config');
    assert.match(custom, /\nCA='https:\/\/127\.0\.0\.1:14000\/dir'\n/);
    assert.match(custom, /\nCURL_OPTS="--cacert "'\/tmp\/ca\.pem'\n/);
  });

  it('bad input fails the event loudly and leaves the working files in place', () => {
    run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'test']);
    assert.equal(run(scratch, 'signal-event', ['console-save']).status, 0);
    const files = ['etc/dehydrated/config', 'etc/dehydrated/domains.txt', 'etc/httpd/conf/httpd.conf'];
    const before = files.map((f) => read(scratch, f));
    for (const [key, prop, value, message] of [
      ['letsencrypt', 'status', 'bogus', 'letsencrypt status is "bogus": expected disabled, test or enabled'],
      ['letsencrypt', 'email', 'a\nb@example.com', 'letsencrypt email is "a\\nb@example.com": expected an e-mail address'],
    ] as const) {
      run(scratch, 'config', ['setprop', key, prop, value]);
      const result = run(scratch, 'signal-event', ['console-save']);
      assert.equal(result.status, 1);
      assert.ok(result.stderr.includes(message), result.stderr);
      assert.match(result.stderr, /nothing written: 1 of 5 templates failed/);
      assert.deepEqual(files.map((f) => read(scratch, f)), before);
      run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'test', 'email', 'admin@example.com']);
    }
    db(scratch, 'hosts', 'set', 'bad name.example.com', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled');
    const result = run(scratch, 'signal-event', ['console-save']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /not a domain name: "bad name\.example\.com"/);
  });
});

describe('stock httpd.conf', function () {
  this.timeout(60_000);
  it('one VirtualHost per domain and port, primary first; HTTP only while modSSL is disabled; the odoo example', () => {
    const scratch = server();
    try {
      sampleNames(scratch);
      db(scratch, 'domains', 'set', 'odoo.example.com', 'domain', 'ProxyPassTarget', 'http://127.0.0.1:8069/', 'HttpsRedirect', 'enabled');
      run(scratch, 'config', ['setprop', 'modSSL', 'status', 'disabled']);
      run(scratch, 'signal-event', ['console-save']);
      const before = read(scratch, 'etc/httpd/conf/httpd.conf');
      assert.deepEqual(before.slice(before.indexOf('<VirtualHost')).match(/<VirtualHost [^>]+>|ServerName \S+/g), [
        '<VirtualHost *:80>', 'ServerName example.com',
        '<VirtualHost *:80>', 'ServerName odoo.example.com',
        '<VirtualHost *:80>', 'ServerName other.org',
        '<VirtualHost *:80>', 'ServerName third.net',
      ]);
      assert.doesNotMatch(before, /SSLEngine|Listen 443/);
      assert.match(before, /ServerName odoo\.example\.com\n(.*\n)*?    ProxyPass \/ http:\/\/127\.0\.0\.1:8069\/\n/);

      // Apache's syntax check (where installed) wants the files to exist
      const certs = join(scratch.path, 'certs');
      mkdirSync(certs);
      for (const name of ['cert.pem', 'key.pem', 'chain.pem']) writeFileSync(join(certs, name), 'x\n');
      run(scratch, 'config', ['setprop', 'modSSL', 'status', 'enabled', 'crt', `${certs}/cert.pem`, 'key', `${certs}/key.pem`, 'CertificateChainFile', `${certs}/chain.pem`]);
      const update = run(scratch, 'signal-event', ['ssl-update']);
      assert.equal(update.status, 0, update.stderr);
      const after = read(scratch, 'etc/httpd/conf/httpd.conf');
      assert.match(after, /\nListen 443 https\n/);
      assert.equal((after.match(/<VirtualHost \*:443>/g) ?? []).length, 4);
      assert.equal(after.indexOf('<VirtualHost *:443>\n    ServerName example.com'), after.indexOf('<VirtualHost *:443>'), 'primary first on 443');
      assert.ok(after.includes(`SSLCertificateFile "${certs}/cert.pem"\n    SSLCertificateKeyFile "${certs}/key.pem"\n    SSLCertificateChainFile "${certs}/chain.pem"\n`));
      const odoo80 = /<VirtualHost \*:80>\n    ServerName odoo\.example\.com\n[^]*?<\/VirtualHost>/.exec(after)![0];
      assert.match(odoo80, /RedirectMatch permanent "\^\/\(\?!\\\.well-known\/acme-challenge\/\)\(\.\*\)\$" "https:\/\/odoo\.example\.com\/\$1"/);
      assert.match(odoo80, /Alias \/\.well-known\/acme-challenge\//);
      assert.doesNotMatch(odoo80, /ProxyPass \//);
      const odoo443 = /<VirtualHost \*:443>\n    ServerName odoo\.example\.com\n[^]*?<\/VirtualHost>/.exec(after)![0];
      assert.match(odoo443, /RequestHeader set X-Forwarded-Proto "https"\n    ProxyPass \/\.well-known\/acme-challenge\/ !\n    ProxyPass \/ http:\/\/127\.0\.0\.1:8069\/\n/);
    } finally {
      scratch.remove();
    }
  });
});
