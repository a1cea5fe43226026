import assert from 'node:assert/strict';
import { ConfigDb, MemoryBackend, ensurePrimaryDomain, standardHostNames } from '../src/index.ts';

describe('ensurePrimaryDomain (initialize-default-databases\' last step)', () => {
  let backend: MemoryBackend;
  let log: string[];
  const open = (name: string) => new ConfigDb(backend, name);
  const run = () => ensurePrimaryDomain({ open, log: (line) => log.push(line) });
  const keys = async (db: string) => (await open(db).list()).map((record) => record.key);
  const show = async (db: string, key: string) => {
    const record = await open(db).get(key);
    return record && [record.type, Object.fromEntries(record.props)];
  };
  beforeEach(async () => {
    backend = new MemoryBackend();
    log = [];
    await open('configuration').set('SystemName', 'gw');
  });

  it('removes the record earlier versions\' defaults made when DomainName is another domain', async () => {
    await open('domains').set('example.com', 'domain', new Map([['letsencryptSSLcert', 'disabled']]));
    await open('configuration').set('DomainName', 'micronator-101.org');
    await run();
    assert.deepEqual(await keys('domains'), ['micronator-101.org']);
    assert.deepEqual(await keys('hosts'), standardHostNames('micronator-101.org', 'gw'));
    assert.deepEqual(log, [
      'Removing former primary domain example.com',
      'Creating primary domain micronator-101.org (DomainName)',
      'Creating standard hosts ftp.micronator-101.org gw.micronator-101.org mail.micronator-101.org proxy.micronator-101.org wpad.micronator-101.org www.micronator-101.org',
    ]);
  });

  it('re-marks a primary whose record was replaced (db domains set) and creates only the hosts it lacks', async () => {
    await open('configuration').set('DomainName', 'example.org');
    await run();
    await open('domains').set('example.org', 'domain', new Map([['letsencryptSSLcert', 'enabled']]));
    await open('hosts').delete('wpad.example.org');
    await open('hosts').set('www.example.org', 'host', new Map([['HostType', 'Remote']]));
    log = [];
    await run();
    assert.deepEqual(await show('domains', 'example.org'), ['domain', { letsencryptSSLcert: 'enabled', SystemPrimaryDomain: 'yes' }]);
    assert.deepEqual(await show('hosts', 'www.example.org'), ['host', { HostType: 'Remote' }]);
    assert.deepEqual(log, ['Marking example.org as the primary domain (DomainName)', 'Creating standard hosts wpad.example.org']);
    log = [];
    await open('hosts').delete('wpad.example.org');
    await run();
    assert.deepEqual([log, (await keys('hosts')).includes('wpad.example.org')], [[], false]);
  });

  it('does nothing for a DomainName that is not a DNS name, and leaves a SystemName that is not a label out', async () => {
    await open('configuration').set('DomainName', 'bad name.org');
    await run();
    assert.deepEqual([await keys('domains'), log], [[], ['DomainName "bad name.org" is not a domain name: no primary domain record']]);
    assert.deepEqual(standardHostNames('example.org', 'a.b'), ['ftp.example.org', 'mail.example.org', 'proxy.example.org', 'wpad.example.org', 'www.example.org']);
  });
});
