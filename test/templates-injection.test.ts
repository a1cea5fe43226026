import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

// Issue #9 items 1 and 2: a database value must not add directives to
// httpd.conf or arguments to a shell-sourced file. Each attempt fails
// console-save, names the value, and leaves every generated file as it was.

const FILES = ['etc/httpd/conf/httpd.conf', 'etc/dehydrated/config', 'etc/dehydrated/domains.txt', 'usr/bin/hook-script.sh', 'etc/cron.daily/letsencrypt'];

/** A scratch server after console-save: letsencrypt in test mode, odoo proxied; with a certificate if `ssl`. */
function server(ssl: boolean): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2', 'certs']) {
    mkdirSync(join(scratch.path, dir), { recursive: true });
  }
  for (const name of ['cert.pem', 'key.pem']) writeFileSync(join(scratch.path, 'certs', name), 'x\n');
  assert.equal(run(scratch, 'signal-event', ['bootstrap-console-save']).status, 0);
  const certs = join(scratch.path, 'certs');
  if (ssl) ok(scratch, 'config', 'setprop', 'modSSL', 'crt', `${certs}/cert.pem`, 'key', `${certs}/key.pem`);
  ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test', 'email', 'admin@example.com');
  ok(scratch, 'db', 'domains', 'set', 'odoo.example.com', 'domain', 'ProxyPassTarget', 'http://127.0.0.1:8069/');
  ok(scratch, 'signal-event', 'console-save');
  return scratch;
}

function ok(scratch: Scratch, bin: 'db' | 'config' | 'signal-event', ...args: string[]): void {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}: ${result.stderr}`);
}

const snapshot = (scratch: Scratch) => FILES.map((file) => readFileSync(join(scratch.path, file), 'utf8'));

const POC = '127.0.0.1:80 >\nAlias /pwn /etc\n<Directory /etc>\nRequire all granted\n</Directory>\n#';

/** A describe body's scratch server and its check: a value set, console-save refused naming it, nothing written. */
function suite(ssl: boolean): { refused: (set: string[], restore: string[], expected: RegExp) => void; original: () => string[]; scratch: () => Scratch } {
  let scratch: Scratch;
  let original: string[];
  before(() => {
    scratch = server(ssl);
    original = snapshot(scratch);
  });
  after(() => scratch.remove());
  /** Sets a value, runs console-save, expects a refusal naming `expected`, and nothing written; then restores. */
  function refused(set: string[], restore: string[], expected: RegExp): void {
    const [bin, ...args] = set as ['db' | 'config', ...string[]];
    ok(scratch, bin, ...args);
    try {
      const result = run(scratch, 'signal-event', ['console-save']);
      assert.equal(result.status, 1, `console-save accepted ${JSON.stringify(args)}`);
      assert.match(result.stderr, expected);
      assert.match(result.stderr, /\n {4}nothing written: 1 of 5 templates failed\n/);
      assert.deepEqual(snapshot(scratch), original);
    } finally {
      const [restoreBin, ...restoreArgs] = restore as ['db' | 'config', ...string[]];
      ok(scratch, restoreBin, ...restoreArgs);
    }
  }

  return { refused, original: () => original, scratch: () => scratch };
}

describe('values that would inject into generated files are refused', function () {
  this.timeout(120_000);
  const { refused, original, scratch } = suite(false);

  it('the baseline is accepted and proxies odoo', () => {
    assert.match(original()[0]!, /\nListen 80\n/);
    assert.match(original()[0]!, /\n    ProxyPass \/ http:\/\/127\.0\.0\.1:8069\/\n/);
  });

  it('httpd-e-smith ListenAddress: the Alias /pwn proof of concept', () => {
    refused(['config', 'setprop', 'httpd-e-smith', 'ListenAddress', POC], ['config', 'delprop', 'httpd-e-smith', 'ListenAddress'], /httpd-e-smith ListenAddress is not an IP address/);
  });

  it('expand-template: exit 5, the value named, one E_TPL_RENDER line', () => {
    ok(scratch(), 'config', 'setprop', 'httpd-e-smith', 'ListenAddress', POC);
    try {
      const result = run(scratch(), 'expand-template', ['/etc/httpd/conf/httpd.conf']);
      assert.equal(result.status, 5);
      assert.match(result.stderr, /\/httpd\.conf\/05vars\.mjs:\d+:\d+: configuration httpd-e-smith ListenAddress /);
      assert.ok(result.stderr.includes(`: configuration httpd-e-smith ListenAddress is not an IP address (IPv4, or IPv6 in brackets): ${JSON.stringify(POC)}`), result.stderr);
      assert.match(result.stderr, /\nexpand-template: template processing failed for \/etc\/httpd\/conf\/httpd\.conf: \d errors \[E_TPL_RENDER\]\n$/);
      assert.deepEqual(snapshot(scratch()), original());
    } finally {
      ok(scratch(), 'config', 'delprop', 'httpd-e-smith', 'ListenAddress');
    }
  });

  it('a JavaScript fragment of a template tree that interpolates the bad value fails too', () => {
    const dir = join(scratch().path, 'etc/e-smith/templates/etc/app.conf');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '10app.mjs'), "export default ({ prop }) => `Listen ${prop('httpd-e-smith', 'ListenAddress', '*')}:80\\n`;\n");
    ok(scratch(), 'config', 'setprop', 'httpd-e-smith', 'ListenAddress', POC);
    try {
      const result = run(scratch(), 'expand-template', ['/etc/app.conf']);
      assert.equal(result.status, 5);
      assert.match(result.stderr, /\/etc\/app\.conf\/10app\.mjs:1:\d+: configuration httpd-e-smith ListenAddress is not an IP address/);
      assert.equal(existsSync(join(scratch().path, 'etc/app.conf')), false);
    } finally {
      ok(scratch(), 'config', 'delprop', 'httpd-e-smith', 'ListenAddress');
    }
  });

  it('an address is accepted: IPv4, IPv6 in brackets', () => {
    ok(scratch(), 'config', 'setprop', 'httpd-e-smith', 'ListenAddress', '[::1]');
    try {
      const result = run(scratch(), 'expand-template', ['--stdout', '/etc/httpd/conf/httpd.conf']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /\nListen \[::1\]:80\n[^]*<VirtualHost \[::1\]:80>\n/);
    } finally {
      ok(scratch(), 'config', 'delprop', 'httpd-e-smith', 'ListenAddress');
    }
  });

  it('httpd-e-smith ListenAddress: a space-separated extra argument', () => {
    refused(['config', 'setprop', 'httpd-e-smith', 'ListenAddress', '127.0.0.1 10.0.0.1'], ['config', 'delprop', 'httpd-e-smith', 'ListenAddress'], /httpd-e-smith ListenAddress is not an IP address/);
  });

  for (const value of ['80\nAlias /pwn /etc', '99999', 'abc', '80 443']) {
    it(`httpd-e-smith TCPPort ${JSON.stringify(value)}`, () => {
      refused(['config', 'setprop', 'httpd-e-smith', 'TCPPort', value], ['config', 'setprop', 'httpd-e-smith', 'TCPPort', '80'], /httpd-e-smith TCPPort is not a port number/);
    });
  }

  it('letsencrypt CABundle: extra curl arguments for dehydrated', () => {
    refused(
      ['config', 'setprop', 'letsencrypt', 'CABundle', '/tmp/ca.pem --upload-file /etc/shadow --insecure'],
      ['config', 'delprop', 'letsencrypt', 'CABundle'],
      /letsencrypt CABundle is not a plain absolute path/,
    );
  });

  it('letsencrypt email: a JSON quote for dehydrated\'s registration', () => {
    refused(['config', 'setprop', 'letsencrypt', 'email', 'a"],"x":["@example.com'], ['config', 'setprop', 'letsencrypt', 'email', 'admin@example.com'], /letsencrypt email is not an e-mail address/);
  });

  it('letsencrypt ACMEDirectory and licence: URLs only', () => {
    refused(['config', 'setprop', 'letsencrypt', 'licence', 'https://x/ `id`'], ['config', 'delprop', 'letsencrypt', 'licence'], /letsencrypt licence is not an http\(s\) URL/);
    refused(['config', 'setprop', 'letsencrypt', 'ACMEDirectory', 'https://ca.example/dir?x=$(id)'], ['config', 'delprop', 'letsencrypt', 'ACMEDirectory'], /letsencrypt ACMEDirectory is not an http\(s\) URL/);
  });

  it('domains ProxyPassTarget: extra ProxyPass parameters, another scheme', () => {
    const restore = ['db', 'domains', 'setprop', 'odoo.example.com', 'ProxyPassTarget', 'http://127.0.0.1:8069/'];
    refused(['db', 'domains', 'setprop', 'odoo.example.com', 'ProxyPassTarget', 'http://127.0.0.1:8069/ disablereuse=On'], restore, /domains odoo\.example\.com ProxyPassTarget is not an http\(s\) URL/);
    refused(['db', 'domains', 'setprop', 'odoo.example.com', 'ProxyPassTarget', 'unix:/run/x|http://h/'], restore, /domains odoo\.example\.com ProxyPassTarget is not an http\(s\) URL/);
  });

  it('a domain whose key is not a DNS name', () => {
    refused(['db', 'domains', 'set', 'evil.com>', 'domain'], ['db', 'domains', 'delete', 'evil.com>'], /a key of domains is not a domain name: "evil\.com>"/);
  });

  it('SystemName and httpd-e-smith paths', () => {
    refused(['config', 'set', 'SystemName', 'www example'], ['config', 'set', 'SystemName', 'server'], /the type of configuration SystemName is not a domain name/);
    refused(['config', 'setprop', 'httpd-e-smith', 'ErrorLog', '/x" "y'], ['config', 'delprop', 'httpd-e-smith', 'ErrorLog'], /httpd-e-smith ErrorLog is not a plain absolute path/);
  });
});

describe('with a certificate: the HTTPS port is a port', function () {
  this.timeout(120_000);
  const { refused, original } = suite(true);

  it('the baseline has the SSL vhosts', () => assert.match(original()[0]!, /\nListen 443 https\n/));

  for (const value of ['443 >\nAlias /pwn /etc\n#', '0', '443 https', '']) {
    it(`modSSL TCPPort ${JSON.stringify(value)}`, () => {
      refused(['config', 'setprop', 'modSSL', 'TCPPort', value], ['config', 'setprop', 'modSSL', 'TCPPort', '443'], /modSSL TCPPort is not a port number/);
    });
  }
});
