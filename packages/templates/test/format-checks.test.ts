import assert from 'node:assert/strict';
import { FORMATS } from '../src/format-checks.ts';
import type { FormatName } from '../src/format-checks.ts';
import { formatOf, keyFormatOf } from '../src/value-formats.ts';

// Each format: values it must accept, and injection attempts it must refuse.
const CASES: Record<FormatName, { good: string[]; bad: string[] }> = {
  port: { good: ['1', '80', '443', '8069', '65535'], bad: ['', '0', '65536', '99999', '080', 'abc', '80 443', '80\nAlias /x /etc', ' 80', '+80', '1e3'] },
  address: {
    good: ['127.0.0.1', '10.1.2.3', '[::1]', '[2001:db8::1]'],
    bad: ['127.0.0.1:80', '127.0.0.1 >', 'localhost', '::1', '[::1', '[127.0.0.1]', '999.1.1.1', '1.2.3.4\nAlias /x /etc', '*'],
  },
  hostname: {
    good: ['example.com', 'www.example.com', 'server', 'odoo-1.example.co.uk', 'xn--bcher-kva.example'],
    bad: ['evil.com>', 'a b', 'a..b', '.example.com', 'example.com.', '-a.com', 'a-.com', '*.example.com', 'a_b.com', 'a.com\r', 'a'.repeat(64) + '.com'],
  },
  path: {
    good: ['/', '/etc/ssl/certs/ca.pem', '/var/log/apache2/error.log', '/opt/my_ca+2024,v1@x/%=~-.pem'],
    bad: ['relative/path', '/tmp/ca.pem --upload-file /etc/shadow', '/tmp/a"b', "/tmp/a'b", '/tmp/$HOME', '/tmp/`id`', '/tmp/*.pem', '/tmp/a;b', '/tmp/a\\b', '/tmp/a\tb', '/a\nb', '/tmp/a|b', '/tmp/[ab]', '/tmp/a?b'],
  },
  url: {
    good: ['http://127.0.0.1:8069/', 'https://acme-v02.api.letsencrypt.org/directory', 'https://127.0.0.1:14000/dir', 'http://[::1]:8080/x', 'http://odoo.internal', 'https://h/p?a=1&b=2'],
    bad: ['ftp://h/', 'unix:/run/x|http://h/', 'http://h/ disablereuse=On', 'http://h/"', "http://h/'x", 'http://h/$(id)', 'http://h/`id`', 'http://h:99999/', 'http://h/\nx', 'http://a b/', 'http:///x', 'http://h/{x}', 'http://h/#x', 'http://h/a\\b', '//h/'],
  },
  email: {
    good: ['admin@example.com', "o'brien@example.com", 'a.b+le_1%x-y@mail.example.org'],
    bad: ['a"],"x":["@example.com', 'a b@example.com', 'a@b@example.com', '@example.com', 'admin@', 'admin@exa mple.com', 'a,b@example.com', 'a\\b@example.com', '$(id)@example.com', 'a@example.com\n', 'a;b@example.com'],
  },
  digits: { good: ['2048', '4096', '0'], bad: ['4096 ', '-1', '4k', '1234567890', '2048;id'] },
  account: { good: ['www-data', 'apache', '_apt', '#33', 'machine$'], bad: ['www data', 'a;b', '#', '#x', '-u', 'a\nb', '"a"'] },
  loglevel: { good: ['warn', 'info ssl:warn', 'debug proxy:trace2 ssl:info', 'core:info'], bad: ['warn\nAlias /x /etc', 'loud', 'warn  ssl:info', 'warn #', 'trace9', 'warn ssl'] },
};

describe('value formats (the whitelists of the unsafe-value guard)', () => {
  for (const [name, { good, bad }] of Object.entries(CASES) as [FormatName, (typeof CASES)[FormatName]][]) {
    it(`${name}: accepts ${good.length} values, refuses ${bad.length} attempts`, () => {
      const format = FORMATS[name];
      assert.deepEqual(good.filter((v) => !format.test(v)), [], 'wrongly refused');
      assert.deepEqual(bad.filter((v) => format.test(v)), [], 'wrongly accepted');
    });
  }

  it('only a port is never empty ("not set" passes every other format)', () => {
    assert.deepEqual(Object.entries(FORMATS).filter(([, f]) => !f.emptyMeansUnset).map(([n]) => n), ['port']);
  });

  it('the table: stock props, record types, any-key rows and key formats', () => {
    assert.equal(formatOf('configuration', 'httpd-e-smith', 'ListenAddress'), 'address');
    assert.equal(formatOf('configuration', 'httpd-e-smith', 'TCPPort'), 'port');
    assert.equal(formatOf('configuration', 'modSSL', 'TCPPort'), 'port');
    assert.equal(formatOf('configuration', 'letsencrypt', 'CABundle'), 'path');
    assert.equal(formatOf('configuration', 'DomainName', null), 'hostname');
    assert.equal(formatOf('configuration', 'DomainName', 'type'), undefined, 'a prop named type is not the type');
    assert.equal(formatOf('domains', 'any.example.com', 'ProxyPassTarget'), 'url');
    assert.equal(formatOf('configuration', 'letsencrypt', 'status'), undefined);
    assert.equal(keyFormatOf('hosts'), 'hostname');
    assert.equal(keyFormatOf('configuration'), undefined);
    assert.equal(keyFormatOf('constructor'), undefined);
  });
});
