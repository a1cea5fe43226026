import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { EtcdCluster, haveEtcd } from './helpers/etcd-cluster.ts';

// Issue #14 item 1: the SME bins with SMECONF_BACKEND=etcd, on a real 3-member
// etcd: two roots (two servers) on one prefix share their databases.

describe('the bins on etcd (SMECONF_BACKEND=etcd)', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof makeTempDir>;
  let cluster: EtcdCluster;
  let one: Scratch;
  let two: Scratch;

  before(async function () {
    if (!haveEtcd()) this.skip();
    dir = makeTempDir();
    cluster = await EtcdCluster.start(dir.path, 3);
    const env = { SMECONF_BACKEND: 'etcd', SMECONF_ETCD_ENDPOINTS: cluster.endpoints.join(','), SMECONF_ETCD_PREFIX: '/fleet-test', SMECONF_SERVICE_MANAGER: 'none' };
    one = makeScratch('sqlite', env);
    two = makeScratch('sqlite', env);
  });
  after(async () => {
    await cluster?.stop();
    for (const scratch of [one, two, dir]) scratch?.remove();
  });

  it('config set / getprop / db show on one root, read back exactly on another, nothing stored locally', () => {
    const value = ' spaces | pipes = and ünïcödé ';
    assert.equal(run(one, 'config', ['set', 'myservice', 'service', 'status', 'enabled', 'Note', value]).status, 0);
    assert.equal(run(one, 'config', ['setprop', 'myservice', 'TCPPort', '8080']).status, 0);
    assert.deepEqual(run(two, 'config', ['getprop', 'myservice', 'Note']), { status: 0, stdout: `${value}\n`, stderr: '' });
    assert.deepEqual(run(two, 'db', ['configuration', 'show', 'myservice']), {
      status: 0,
      stdout: `myservice=service\n    Note=${value}\n    TCPPort=8080\n    status=enabled\n`,
      stderr: '',
    });
    assert.equal(run(two, 'config', ['getprop', 'myservice', 'missing']).status, 1);
    assert.equal(existsSync(join(one.dbDir, 'smeconf.sqlite')), false);
  });

  it('db history lists the changes etcd keeps', () => {
    assert.equal(run(one, 'db', ['accounts', 'set', 'alice', 'user', 'Shell', '/bin/sh']).status, 0);
    assert.equal(run(two, 'db', ['accounts', 'setprop', 'alice', 'Shell', '/bin/bash']).status, 0);
    const history = run(one, 'db', ['accounts', 'history', 'alice', '--json']);
    assert.equal(history.status, 0, history.stderr);
    const entries = JSON.parse(history.stdout) as { prop: string | null; old: string | null; new: string | null }[];
    assert.deepEqual(entries.map((e) => [e.prop, e.old, e.new]), [[null, null, 'user'], ['Shell', null, '/bin/sh'], ['Shell', '/bin/sh', '/bin/bash']]);
  });

  it('signal-event bootstrap-console-save and console-save render from the databases in etcd', () => {
    const boot = run(one, 'signal-event', ['bootstrap-console-save']);
    assert.equal(boot.status, 0, boot.stderr);
    assert.equal(run(two, 'config', ['setprop', 'httpd-e-smith', 'TCPPort', '8081']).status, 0);
    const save = run(one, 'signal-event', ['console-save']);
    assert.equal(save.status, 0, save.stderr);
    assert.match(readFileSync(join(one.path, 'etc/httpd/conf/httpd.conf'), 'utf8'), /^Listen .*8081$/m);
    assert.equal(existsSync(join(one.dbDir, 'smeconf.sqlite')), false);
  });
});

/** A CA, and the member's and the client's certificates it signed (EC keys: quick to make). */
function makeCertificates(dir: string): { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    const result = spawnSync('openssl', args, { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  };
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=smeconf test CA');
  // the member's certificate also for clientAuth: etcd's JSON gateway dials the member's own gRPC with it
  for (const [name, usage] of [['server', 'serverAuth,clientAuth'], ['client', 'clientAuth']] as const) {
    writeFileSync(file(`${name}.ext`), `subjectAltName=IP:127.0.0.1\nextendedKeyUsage=${usage}\n`);
    openssl('req', ...key, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file(`${name}.pem`), '-days', '2', '-extfile', file(`${name}.ext`));
  }
  return { ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key'), clientCert: file('client.pem'), clientKey: file('client.key') };
}

describe('the bins on etcd over TLS with client certificates (SMECONF_ETCD_CA/CERT/KEY)', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof makeTempDir>;
  let cluster: EtcdCluster;
  let scratch: Scratch;
  let certificates: ReturnType<typeof makeCertificates>;

  before(async function () {
    if (!haveEtcd()) this.skip();
    dir = makeTempDir();
    certificates = makeCertificates(dir.path);
    cluster = await EtcdCluster.start(join(dir.path, 'etcd'), 1, { certFile: certificates.serverCert, keyFile: certificates.serverKey, caFile: certificates.ca });
    scratch = makeScratch('sqlite', { SMECONF_BACKEND: 'etcd', SMECONF_ETCD_ENDPOINTS: cluster.endpoints.join(','), SMECONF_ETCD_TIMEOUT_MS: '500' });
  });
  after(async () => {
    await cluster?.stop();
    scratch?.remove();
    dir?.remove();
  });

  it('writes and reads with the client certificate; without one no member answers', () => {
    const tls = { SMECONF_ETCD_CA: certificates.ca, SMECONF_ETCD_CERT: certificates.clientCert, SMECONF_ETCD_KEY: certificates.clientKey };
    const set = run(scratch, 'config', ['set', 'secure', 'service', 'status', 'enabled'], tls);
    assert.equal(set.status, 0, set.stderr);
    assert.deepEqual(run(scratch, 'config', ['getprop', 'secure', 'status'], tls), { status: 0, stdout: 'enabled\n', stderr: '' });
    const refused = run(scratch, 'config', ['getprop', 'secure', 'status'], { SMECONF_ETCD_CA: certificates.ca });
    assert.equal(refused.status, 4);
    assert.match(refused.stderr, new RegExp(`^config: etcd cluster unreachable: no member answered: ${cluster.endpoints[0]!.replaceAll('.', '\\.')} \\(.+\\) \\[E_DB_UNREACHABLE\\]\\n$`));
  });
});
