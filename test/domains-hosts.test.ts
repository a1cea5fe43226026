import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** A fresh root with the directories the stock outputs go to. */
function fresh(): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2']) mkdirSync(join(scratch.path, dir), { recursive: true });
  return scratch;
}

function ok(scratch: Scratch, bin: 'db' | 'config' | 'signal-event', ...args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** What SME's `db hosts show` prints for these domains' standard hosts (SystemName `server`), in key order. */
const standardHosts = (...domains: string[]) =>
  domains
    .flatMap((domain) => ['ftp', 'mail', 'proxy', 'server', 'wpad', 'www'].map((name) => `${name}.${domain}`))
    .sort()
    .map((key) => `${key}=host\n    HostType=Self\n`)
    .join('');

const httpdConf = (scratch: Scratch) => readFileSync(join(scratch.path, 'etc/httpd/conf/httpd.conf'), 'utf8');

describe('domains and hosts (SME\'s standard hosts, domain-* and host-* events)', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  beforeEach(() => (scratch = fresh()));
  afterEach(() => scratch.remove());

  it('the walkthrough: the primary domain follows DomainName, domain-create adds a domain\'s standard hosts, setprop on them is silent', () => {
    ok(scratch, 'config', 'set', 'DomainName', 'micronator-101.org');
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(ok(scratch, 'db', 'domains', 'show'), 'micronator-101.org=domain\n    SystemPrimaryDomain=yes\n');
    assert.equal(ok(scratch, 'db', 'hosts', 'show'), standardHosts('micronator-101.org'));

    ok(scratch, 'db', 'domains', 'set', 'micronator.org', 'domain', 'letsencryptSSLcert', 'enabled');
    ok(scratch, 'signal-event', 'domain-create', 'micronator.org');
    assert.equal(ok(scratch, 'db', 'hosts', 'show'), standardHosts('micronator-101.org', 'micronator.org'));
    assert.match(httpdConf(scratch), /ServerName micronator\.org\n(    ServerAlias .*\n)*    ServerAlias www\.micronator\.org\n/);

    for (const domain of ['micronator-101.org', 'micronator.org']) {
      for (const name of ['ftp', 'mail', 'proxy', 'wpad', 'www']) {
        const result = run(scratch, 'db', ['hosts', 'setprop', `${name}.${domain}`, 'letsencryptSSLcert', 'enabled']);
        assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', ''], `${name}.${domain}`);
      }
    }
    assert.equal(ok(scratch, 'db', 'hosts', 'getprop', 'wpad.micronator.org', 'letsencryptSSLcert'), 'enabled\n');
  });

  it('no example.com unless DomainName is example.com: the untouched stock primary goes when DomainName changes, and stays gone', () => {
    ok(scratch, 'signal-event', 'bootstrap-console-save');
    assert.equal(ok(scratch, 'db', 'domains', 'keys'), 'example.com\n');
    assert.equal(ok(scratch, 'db', 'hosts', 'show'), standardHosts('example.com'));

    ok(scratch, 'config', 'set', 'DomainName', 'micronator-101.org');
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test', 'configure', 'all');
    ok(scratch, 'signal-event', 'console-save');
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(ok(scratch, 'db', 'domains', 'keys'), 'micronator-101.org\n');
    assert.equal(ok(scratch, 'db', 'hosts', 'show'), standardHosts('micronator-101.org'));
    assert.doesNotMatch(httpdConf(scratch), /example\.com/);
    assert.doesNotMatch(readFileSync(join(scratch.path, 'etc/dehydrated/domains.txt'), 'utf8'), /example\.com/);
  });

  it('a former primary the admin changed stays, as an ordinary domain; deleted records and hosts stay deleted', () => {
    ok(scratch, 'signal-event', 'bootstrap-console-save');
    ok(scratch, 'db', 'domains', 'setprop', 'example.com', 'ProxyPassTarget', 'http://127.0.0.1:8069/');
    ok(scratch, 'config', 'set', 'DomainName', 'micronator-101.org');
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(ok(scratch, 'db', 'domains', 'show', 'example.com'), 'example.com=domain\n    ProxyPassTarget=http://127.0.0.1:8069/\n');
    assert.equal(ok(scratch, 'db', 'hosts', 'keys').split('\n').filter((key) => key.endsWith('.example.com')).length, 6);

    ok(scratch, 'db', 'domains', 'delete', 'example.com');
    ok(scratch, 'db', 'hosts', 'delete', 'wpad.micronator-101.org');
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(ok(scratch, 'db', 'domains', 'keys'), 'micronator-101.org\n');
    assert.equal(run(scratch, 'db', ['hosts', 'get', 'wpad.micronator-101.org']).status, 1);
  });

  it('domain-create creates only missing hosts and never changes one the admin set; it wants the domain record first', () => {
    ok(scratch, 'config', 'set', 'DomainName', 'micronator-101.org');
    ok(scratch, 'signal-event', 'console-save');
    ok(scratch, 'db', 'domains', 'set', 'micronator.org', 'domain');
    ok(scratch, 'db', 'hosts', 'set', 'www.micronator.org', 'host', 'HostType', 'Remote', 'ExternalIP', '192.0.2.7');
    ok(scratch, 'signal-event', 'domain-create', 'micronator.org');
    assert.equal(ok(scratch, 'db', 'hosts', 'show', 'www.micronator.org'), 'www.micronator.org=host\n    ExternalIP=192.0.2.7\n    HostType=Remote\n');
    assert.equal(ok(scratch, 'db', 'hosts', 'keys').split('\n').filter((key) => key.endsWith('.micronator.org')).length, 6);

    const missing = run(scratch, 'signal-event', ['domain-create', 'nowhere.org']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no domains record nowhere\.org: create it first \(db domains set nowhere\.org domain\)/);
    assert.equal(ok(scratch, 'db', 'hosts', 'keys').split('\n').filter((key) => key.endsWith('.nowhere.org')).length, 0);
    const bare = run(scratch, 'signal-event', ['domain-create']);
    assert.equal(bare.status, 1);
    assert.match(bare.stderr, /no domain given: signal-event domain-create DOMAIN/);
  });

  it('domain-delete removes the standard hosts the domain got, keeps the admin\'s own hosts, and re-expands httpd.conf', () => {
    ok(scratch, 'config', 'set', 'DomainName', 'micronator-101.org');
    ok(scratch, 'signal-event', 'console-save');
    ok(scratch, 'db', 'domains', 'set', 'micronator.org', 'domain');
    ok(scratch, 'signal-event', 'domain-create', 'micronator.org');
    ok(scratch, 'db', 'hosts', 'setprop', 'www.micronator.org', 'letsencryptSSLcert', 'enabled');
    ok(scratch, 'db', 'hosts', 'setprop', 'mail.micronator.org', 'HostType', 'Remote');
    ok(scratch, 'db', 'hosts', 'set', 'odoo.micronator.org', 'host', 'HostType', 'Self');
    assert.match(httpdConf(scratch), /ServerName micronator\.org\n/);

    const early = run(scratch, 'signal-event', ['domain-delete', 'micronator.org']);
    assert.equal(early.status, 1);
    assert.match(early.stderr, /the domains record micronator\.org still exists: delete it first \(db domains delete micronator\.org\)/);
    assert.equal(ok(scratch, 'db', 'hosts', 'keys').split('\n').filter((key) => key.endsWith('.micronator.org')).length, 7);

    const primary = run(scratch, 'signal-event', ['domain-delete', 'micronator-101.org']);
    assert.equal(primary.status, 1);
    assert.match(primary.stderr, /micronator-101\.org is the primary domain \(DomainName\): set DomainName to another domain first/);

    ok(scratch, 'db', 'domains', 'delete', 'micronator.org');
    ok(scratch, 'signal-event', 'domain-delete', 'micronator.org');
    assert.equal(ok(scratch, 'db', 'hosts', 'keys').split('\n').filter((key) => key.endsWith('.micronator.org')).join(' '), 'mail.micronator.org odoo.micronator.org');
    assert.doesNotMatch(httpdConf(scratch), /micronator\.org\n/);
  });

  it('host-create, host-modify, host-delete and domain-modify re-expand httpd.conf and domains.txt', () => {
    ok(scratch, 'config', 'set', 'DomainName', 'micronator-101.org');
    ok(scratch, 'signal-event', 'console-save');
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test');
    ok(scratch, 'signal-event', 'console-save');
    const domainsTxt = () => readFileSync(join(scratch.path, 'etc/dehydrated/domains.txt'), 'utf8');

    ok(scratch, 'db', 'hosts', 'set', 'shop.micronator-101.org', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled');
    ok(scratch, 'signal-event', 'host-create', 'shop.micronator-101.org');
    assert.match(httpdConf(scratch), /ServerAlias shop\.micronator-101\.org\n/);
    assert.equal(domainsTxt(), 'shop.micronator-101.org \n');

    ok(scratch, 'db', 'hosts', 'setprop', 'shop.micronator-101.org', 'HostType', 'Remote');
    ok(scratch, 'signal-event', 'host-modify', 'shop.micronator-101.org');
    assert.doesNotMatch(httpdConf(scratch), /shop\./);

    ok(scratch, 'db', 'domains', 'setprop', 'micronator-101.org', 'letsencryptSSLcert', 'enabled');
    ok(scratch, 'signal-event', 'domain-modify', 'micronator-101.org');
    assert.equal(domainsTxt(), 'micronator-101.org \n');

    ok(scratch, 'db', 'hosts', 'setprop', 'shop.micronator-101.org', 'HostType', 'Self');
    ok(scratch, 'signal-event', 'host-modify', 'shop.micronator-101.org');
    assert.match(httpdConf(scratch), /ServerAlias shop\.micronator-101\.org\n/);
    ok(scratch, 'db', 'hosts', 'delete', 'shop.micronator-101.org');
    ok(scratch, 'signal-event', 'host-delete', 'shop.micronator-101.org');
    assert.doesNotMatch(httpdConf(scratch), /shop\./);
    assert.equal(domainsTxt(), 'micronator-101.org \n');
  });
});
