import assert from 'node:assert/strict';
import { makeRecord } from '@smeconf/db';
import { describeBackendConformance, makeTempDir } from '@smeconf/db/testing';
import { EtcdBackend } from '../src/index.ts';
import type { EtcdOptions } from '../src/index.ts';
import { EtcdCluster, haveEtcd } from '../../../test/helpers/etcd-cluster.ts';
import { waitFor } from '../../../test/helpers/processes.ts';

/** A real 3-member etcd on 127.0.0.1, shared by every test of this file. */
describe('EtcdBackend on a 3-member etcd', function () {
  let dir: ReturnType<typeof makeTempDir>;
  let cluster: EtcdCluster;
  let prefixes = 0;
  const backends: EtcdBackend[] = [];
  /** A backend on a prefix of its own; `first` is the member it asks first. */
  const open = (options: Partial<EtcdOptions> = {}, first = 0): EtcdBackend => {
    const endpoints = [...cluster.endpoints.slice(first), ...cluster.endpoints.slice(0, first)];
    const backend = new EtcdBackend({ endpoints, prefix: `/test${++prefixes}`, ...options });
    backends.push(backend);
    return backend;
  };

  before(async function () {
    if (!haveEtcd()) this.skip();
    this.timeout(60_000);
    dir = makeTempDir();
    cluster = await EtcdCluster.start(dir.path, 3);
  });
  after(async () => {
    for (const backend of backends) await backend.close();
    await cluster?.stop();
    dir?.remove();
  });

  describeBackendConformance('etcd', async () => ({ backend: open(), cleanup: async () => {} }), { history: true });

  it('loses no write of two writers on different members while the leader is killed', async function () {
    this.timeout(120_000);
    const leader = await cluster.leader();
    // a generous call deadline: a write sent to a leader as it dies waits for the new one
    const options = { attemptTimeoutMs: 1000, timeoutMs: 30_000 };
    // writer a asks the leader first, b another member
    const a = open(options, leader);
    const b = new EtcdBackend({ ...options, endpoints: [...cluster.endpoints.slice(leader + 1), ...cluster.endpoints.slice(0, leader + 1)], prefix: `/test${prefixes}` });
    backends.push(b);
    await a.apply('db', [{ op: 'set', key: 'shared', record: makeRecord('t') }]);
    const writes = 60;
    // each write adds a prop to the same record: a lost update would drop the other writer's prop
    const writer = async (backend: EtcdBackend, name: string, killAt: number | undefined) => {
      for (let i = 0; i < writes; i++) {
        if (i === killAt) await cluster.members[leader]!.kill();
        await backend.apply('db', [{ op: 'setProps', key: 'shared', props: new Map([[`${name}${i}`, `${i}`]]) }]);
      }
    };
    await Promise.all([writer(a, 'a', 20), writer(b, 'b', undefined)]);
    const props = (await b.get('db', 'shared'))!.props;
    const expected = new Map<string, string>();
    for (let i = 0; i < writes; i++) expected.set(`a${i}`, `${i}`).set(`b${i}`, `${i}`);
    assert.deepEqual(new Map([...props].sort()), new Map([...expected].sort()));
    cluster.members[leader]!.start();
    await cluster.waitHealthy();
  });

  it('fails a write with E_DB_NO_QUORUM when 2 of 3 members are down, still reads, and writes again once they are back', async function () {
    this.timeout(120_000);
    const backend = open({ timeoutMs: 30_000 });
    // the failing write's bound: 3 attempts of 500 ms
    const quick = new EtcdBackend({ endpoints: cluster.endpoints, prefix: `/test${prefixes}`, attemptTimeoutMs: 500, timeoutMs: 1500 });
    backends.push(quick);
    await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('before') }]);
    await waitFor('every member has the record', async () => {
      for (let first = 0; first < 3; first++) {
        const reader = new EtcdBackend({ endpoints: [cluster.endpoints[first]!], prefix: `/test${prefixes}` });
        const record = await reader.get('db', 'k');
        await reader.close();
        if (record === undefined) return false;
      }
      return true;
    });
    await cluster.members[1]!.kill();
    await cluster.members[2]!.kill();
    const endpoints = cluster.endpoints.join('|').replaceAll('.', '\\.');
    await assert.rejects(quick.apply('db', [{ op: 'set', key: 'k', record: makeRecord('during') }]), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'E_DB_NO_QUORUM');
      assert.match(error.message, /^etcd cluster has no quorum/);
      for (const endpoint of cluster.endpoints) assert.ok(error.message.includes(endpoint), `${error.message} names ${endpoint}`);
      assert.doesNotMatch(error.message, /\n/);
      return new RegExp(endpoints).test(error.message);
    });
    assert.equal((await backend.get('db', 'k'))?.type, 'before');
    assert.deepEqual((await backend.list('db')).map((record) => record.type), ['before']);
    cluster.members[1]!.start();
    cluster.members[2]!.start();
    await cluster.waitHealthy();
    await waitFor('a write succeeds', async () => {
      try {
        return (await quick.apply('db', [{ op: 'set', key: 'k', record: makeRecord('after') }])).changed;
      } catch (error) {
        if ((error as { code?: string }).code === 'E_DB_NO_QUORUM') return false;
        throw error;
      }
    }, 60_000);
    assert.equal((await backend.get('db', 'k'))?.type, 'after');
  });

  it('says E_DB_UNREACHABLE, naming the endpoints, when no member answers', async () => {
    // ports 1 and 9 on loopback: nothing listens there, whatever else the machine (or a parallel test) runs
    const endpoints = ['http://127.0.0.1:1', 'http://127.0.0.1:9'];
    const backend = new EtcdBackend({ endpoints, prefix: '/nowhere', attemptTimeoutMs: 500, timeoutMs: 1000 });
    backends.push(backend);
    await assert.rejects(backend.get('db', 'k'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'E_DB_UNREACHABLE');
      // each member's reason is its last attempt's: refused, or cut by the call's deadline on a loaded machine
      assert.match(error.message, /^etcd cluster unreachable: no member answered: http:\/\/127\.0\.0\.1:1 \([^)\n]+\), http:\/\/127\.0\.0\.1:9 \([^)\n]+\)$/);
      return true;
    });
  });

  it('says E_DB_HISTORY_COMPACTED for changes since a compacted revision; history keeps what etcd kept', async () => {
    const backend = open();
    const first = await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('t', [['p', '1']]) }]);
    await backend.apply('db', [{ op: 'setProps', key: 'k', props: new Map([['p', '2']]) }]);
    const third = await backend.apply('db', [{ op: 'setProps', key: 'k', props: new Map([['p', '3']]) }]);
    await backend.compact(third.revision - 1);
    await assert.rejects(backend.changesSince(first.revision), {
      code: 'E_DB_HISTORY_COMPACTED',
      message: `etcd has compacted its history up to revision ${third.revision - 1}: the changes since revision ${first.revision} are gone; read the whole store again`,
    });
    assert.deepEqual((await backend.changesSince(third.revision - 1)).map((e) => [e.key, e.prop, e.old, e.new]), [['k', 'p', '2', '3']]);
    assert.deepEqual((await backend.history('db')).map((e) => [e.prop, e.old, e.new]), [['p', '2', '3']]);
  });
});
