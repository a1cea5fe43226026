import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

// SME always serves HTTPS (issue #10 item 5): without a Let's Encrypt
// certificate, a self-signed one made by console-save; back to it when
// modSSL's crt/key are removed. Real openssl, real `apache2 -t`.

const HAVE_OPENSSL = existsSync('/usr/bin/openssl');
const APACHE = '/usr/sbin/apache2';

function server(): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2']) {
    mkdirSync(join(scratch.path, dir), { recursive: true });
  }
  ok(scratch, 'signal-event', 'bootstrap-console-save');
  ok(scratch, 'config', 'set', 'DomainName', 'example.test');
  ok(scratch, 'config', 'set', 'SystemName', 'box');
  ok(scratch, 'db', 'domains', 'set', 'example.test', 'domain');
  ok(scratch, 'db', 'domains', 'set', 'odoo.example.test', 'domain', 'ProxyPassTarget', 'http://127.0.0.1:8069/', 'HttpsRedirect', 'enabled');
  ok(scratch, 'db', 'hosts', 'set', 'www.example.test', 'host', 'HostType', 'Self');
  ok(scratch, 'db', 'hosts', 'set', 'ext.example.test', 'host', 'HostType', 'Remote');
  if (process.getuid?.() !== 0) ok(scratch, 'config', 'delprop', 'httpd-e-smith', 'User', 'Group');
  return scratch;
}

function ok(scratch: Scratch, bin: 'db' | 'config' | 'signal-event' | 'smeconf', ...args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const getprop = (scratch: Scratch, key: string, prop: string) => ok(scratch, 'config', 'getprop', key, prop).trimEnd();
const httpdConf = (scratch: Scratch) => readFileSync(join(scratch.path, 'etc/httpd/conf/httpd.conf'), 'utf8');
const sans = (pem: string) => new X509Certificate(pem).subjectAltName?.split(', ').map((name) => name.replace(/^DNS:/, '')).sort();

/** Every *:443 VirtualHost (at least the two of server()) has exactly these SSLCertificate* lines. */
function assertSslLines(conf: string, expected: string[], message?: string): void {
  const vhosts = [...conf.matchAll(/<VirtualHost \*:443>\n[^]*?<\/VirtualHost>/g)].map(([vhost]) => vhost);
  assert.ok(vhosts.length >= 2, `443 vhosts in:\n${conf}`);
  for (const vhost of vhosts) {
    assert.deepEqual(vhost.split('\n').filter((line) => /SSLCertificate/.test(line)).map((line) => line.trim()), expected, message);
  }
}

function apacheSyntax(scratch: Scratch): void {
  if (!existsSync(APACHE)) {
    console.error('    (apache2 not installed: its syntax check skipped)');
    return;
  }
  const check = spawnSync(APACHE, ['-t', '-f', join(scratch.path, 'etc/httpd/conf/httpd.conf')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
}

describe('the self-signed certificate: HTTPS from the first console-save', function () {
  this.timeout(90_000);
  let scratch: Scratch;
  before(function () {
    if (!HAVE_OPENSSL) {
      console.error('\n*** SKIPPING the self-signed certificate tests: /usr/bin/openssl not installed ***\n');
      this.skip();
    }
  });
  beforeEach(() => (scratch = server()));
  afterEach(() => scratch?.remove());

  it('console-save makes it (0600 key, the primary domain and its names), every 443 vhost uses it, apache2 -t passes', () => {
    ok(scratch, 'signal-event', 'console-save');
    const crt = join(scratch.path, 'home/e-smith/ssl.crt/box.example.test.crt');
    const key = join(scratch.path, 'home/e-smith/ssl.key/box.example.test.key');
    assert.equal(getprop(scratch, 'modSSL', 'SelfSignedCrt'), crt);
    assert.equal(getprop(scratch, 'modSSL', 'SelfSignedKey'), key);
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.equal(statSync(join(scratch.path, 'home/e-smith/ssl.key')).mode & 0o777, 0o700);
    const pem = readFileSync(crt, 'utf8');
    const certificate = new X509Certificate(pem);
    assert.match(certificate.subject, /CN=example\.test/);
    for (const name of ['example.test', 'box.example.test', 'odoo.example.test', 'www.example.test']) assert.ok(sans(pem)!.includes(name), name);
    assert.ok(!sans(pem)!.includes('ext.example.test'), 'a Remote host is not served here');
    assert.ok(certificate.checkPrivateKey(createPrivateKey(readFileSync(key))));
    assert.equal(createPrivateKey(readFileSync(key)).asymmetricKeyDetails?.modulusLength, 2048);

    const conf = httpdConf(scratch);
    assert.match(conf, /\nListen 443 https\n/);
    assertSslLines(conf, [`SSLCertificateFile "${crt}"`, `SSLCertificateKeyFile "${key}"`]);
    assert.match(conf, /<VirtualHost \*:443>\n    ServerName odoo\.example\.test\n[^]*?ProxyPass \/ http:\/\/127\.0\.0\.1:8069\//, 'the proxy stays on HTTPS');
    assert.match(conf, /<VirtualHost \*:80>\n    ServerName odoo\.example\.test\n[^]*?RedirectMatch permanent/, 'and HTTP redirects to it');
    apacheSyntax(scratch);

    // kept as long as it fits: same bytes after another event
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(readFileSync(crt, 'utf8'), pem);
    // and made anew on demand
    assert.match(ok(scratch, 'smeconf', 'letsencrypt', 'self-signed', '--force'), new RegExp(`^made the self-signed certificate ${crt} \\(\\d+ names, RSA 2048; asked to\\)\\n$`));
    assert.notEqual(readFileSync(crt, 'utf8'), pem);
    assert.equal(ok(scratch, 'smeconf', 'letsencrypt', 'self-signed'), '', 'silent when it fits');
  });

  it('a Let\'s Encrypt certificate in modSSL crt/key wins; `config delprop modSSL crt key` + console-save goes back to the self-signed one', () => {
    ok(scratch, 'signal-event', 'console-save');
    const selfCrt = getprop(scratch, 'modSSL', 'SelfSignedCrt');
    const selfKey = getprop(scratch, 'modSSL', 'SelfSignedKey');
    // a "deployed" certificate: any valid pair will do for apache2 -t
    const le = join(scratch.path, 'etc/dehydrated/certs/example.test');
    mkdirSync(le, { recursive: true });
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=example.test', '-keyout', join(le, 'privkey.pem'), '-out', join(le, 'cert.pem')], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    writeFileSync(join(le, 'chain.pem'), readFileSync(join(le, 'cert.pem')));
    ok(scratch, 'config', 'setprop', 'modSSL', 'crt', join(le, 'cert.pem'), 'key', join(le, 'privkey.pem'), 'CertificateChainFile', join(le, 'chain.pem'));
    ok(scratch, 'signal-event', 'ssl-update');
    const deployed = [`SSLCertificateFile "${le}/cert.pem"`, `SSLCertificateKeyFile "${le}/privkey.pem"`, `SSLCertificateChainFile "${le}/chain.pem"`];
    assertSslLines(httpdConf(scratch), deployed);
    apacheSyntax(scratch);

    ok(scratch, 'config', 'delprop', 'modSSL', 'crt', 'key');
    ok(scratch, 'signal-event', 'console-save');
    const fallback = [`SSLCertificateFile "${selfCrt}"`, `SSLCertificateKeyFile "${selfKey}"`];
    assertSslLines(httpdConf(scratch), fallback, 'no chain of the other certificate either');
    apacheSyntax(scratch);
  });

  it('follows the names and modSSL keysize: a new DomainName or key size makes a new one; modSSL disabled means no HTTPS', () => {
    ok(scratch, 'signal-event', 'console-save');
    ok(scratch, 'config', 'set', 'DomainName', 'other.test');
    ok(scratch, 'db', 'domains', 'set', 'other.test', 'domain');
    ok(scratch, 'config', 'setprop', 'modSSL', 'keysize', '3072');
    ok(scratch, 'signal-event', 'console-save');
    const crt = join(scratch.path, 'home/e-smith/ssl.crt/box.other.test.crt');
    assert.equal(getprop(scratch, 'modSSL', 'SelfSignedCrt'), crt);
    const pem = readFileSync(crt, 'utf8');
    assert.match(new X509Certificate(pem).subject, /CN=other\.test/);
    assert.ok(sans(pem)!.includes('box.other.test'));
    assert.equal(createPrivateKey(readFileSync(getprop(scratch, 'modSSL', 'SelfSignedKey'))).asymmetricKeyDetails?.modulusLength, 3072);

    ok(scratch, 'config', 'setprop', 'modSSL', 'keysize', 'big');
    const bad = run(scratch, 'signal-event', ['console-save']);
    assert.equal(bad.status, 1);
    assert.ok(bad.stderr.includes('modSSL keysize is "big": expected a number of bits from 2048 to 8192 [E_SSL_SELF_SIGNED]'), bad.stderr);
    ok(scratch, 'config', 'delprop', 'modSSL', 'keysize');

    ok(scratch, 'config', 'setprop', 'modSSL', 'status', 'disabled');
    ok(scratch, 'signal-event', 'console-save');
    assert.doesNotMatch(httpdConf(scratch), /:443|SSLEngine/);
  });
});
