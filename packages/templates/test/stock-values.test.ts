import assert from 'node:assert/strict';
import type { RecordData } from '@smeconf/db';
import { DataAccess } from '../src/index.ts';
import { moduleContext } from '../src/fragment-module.ts';
import { certificateNames, httpdValues } from '../src/stock-values.ts';

const record = (type: string, props: Record<string, string> = {}): RecordData => ({ type, props: new Map(Object.entries(props)) });
type Dbs = Record<string, Record<string, RecordData>>;

function reader(dbs: Dbs) {
  const access = new DataAccess(new Map(Object.entries(dbs).map(([db, recs]) => [db, new Map(Object.entries(recs))])));
  return moduleContext({}, { access, expand: () => '' });
}
const text = (values: object) => JSON.parse(JSON.stringify(values)) as unknown;

describe('httpdValues (httpd.conf 05vars.mjs)', () => {
  it('defaults: ports 80 and 443 on every address, no certificate while modSSL is disabled', () => {
    assert.deepEqual(text(httpdValues(reader({ configuration: {} }))), {
      httpListen: '80', sslListen: '443', vhostAddress: '*', httpPort: '80', sslPort: '443', sslReady: false, sslCrt: '', sslKey: '', sslChain: '',
    });
  });

  it('a listen address and ports; the deployed certificate with its chain before the self-signed one', () => {
    const modSSL = { status: 'enabled', TCPPort: '8443', crt: '/le.crt', key: '/le.key', CertificateChainFile: '/chain.pem', SelfSignedCrt: '/ss.crt', SelfSignedKey: '/ss.key' };
    const values = httpdValues(reader({ configuration: { 'httpd-e-smith': record('service', { ListenAddress: '10.0.0.1', TCPPort: '8080' }), modSSL: record('service', modSSL) } }));
    assert.deepEqual(text(values), {
      httpListen: '10.0.0.1:8080', sslListen: '10.0.0.1:8443', vhostAddress: '10.0.0.1', httpPort: '8080', sslPort: '8443',
      sslReady: true, sslCrt: '/le.crt', sslKey: '/le.key', sslChain: '/chain.pem',
    });
  });

  it('the self-signed certificate (no chain) when only it is there; not ready with neither', () => {
    const selfSigned = { status: 'enabled', SelfSignedCrt: '/ss.crt', SelfSignedKey: '/ss.key', CertificateChainFile: '/chain.pem', crt: '/le.crt' };
    const values = httpdValues(reader({ configuration: { modSSL: record('service', selfSigned) } }));
    assert.deepEqual([values.sslReady, values.sslCrt, values.sslKey, values.sslChain], [true, '/ss.crt', '/ss.key', '']);
    assert.equal(httpdValues(reader({ configuration: { modSSL: record('service', { status: 'enabled', crt: '/le.crt' }) } })).sslReady, false);
  });

  it('an address failing its format throws when made into a listen address', () => {
    const bad = { configuration: { 'httpd-e-smith': record('service', { ListenAddress: '1.2.3.4 >\nAlias' }) } };
    assert.throws(() => httpdValues(reader(bad)), /httpd-e-smith ListenAddress is not an IP address/);
  });
});

describe('certificateNames (domains.txt 10Domains.mjs)', () => {
  const dbs = (configure: string | undefined, status = 'enabled'): Dbs => ({
    configuration: { DomainName: record('example.org'), letsencrypt: record('service', { status, ...(configure && { configure }) }) },
    domains: { 'example.org': record('domain'), 'b.net': record('domain', { letsencryptSSLcert: 'enabled' }), 'a.net': record('domain') },
    hosts: {
      'www.example.org': record('host', { HostType: 'Self', letsencryptSSLcert: 'enabled' }),
      'mail.example.org': record('host', { HostType: 'Self' }),
      'www.b.net': record('host', { HostType: 'Remote', letsencryptSSLcert: 'enabled' }),
    },
  });
  const names = (d: Dbs) => certificateNames(reader(d))?.map(String);

  it('disabled: none', () => assert.equal(names(dbs('all', 'disabled')), undefined));
  it('none: the records with letsencryptSSLcert enabled (hosts: of a domain, Self)', () => {
    assert.deepEqual(names(dbs(undefined)), ['b.net', 'www.example.org']);
  });
  it('domains: the primary first, then every domain in key order, each once', () => {
    assert.deepEqual(names(dbs('domains')), ['example.org', 'a.net', 'b.net', 'www.example.org']);
  });
  it('hosts: every host after each enabled domain, each once', () => {
    assert.deepEqual(names(dbs('hosts')), ['mail.example.org', 'www.b.net', 'www.example.org', 'b.net']);
  });
  it('all: every domain and host, in SME order', () => {
    assert.deepEqual(names(dbs('all')), ['example.org', 'a.net', 'mail.example.org', 'www.b.net', 'www.example.org', 'b.net']);
  });
  it('a name that is not a DNS name stays guarded: printing it throws', () => {
    const d = dbs('all');
    d['hosts']!['bad host\n'] = record('host');
    assert.throws(() => names(d), /a key of hosts/);
  });
});
