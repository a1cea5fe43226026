import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { Op } from '@smeconf/db';
import { EtcdBackend } from '@smeconf/db-etcd';
import { binPath, makeScratch, run, runAsync, write } from './helpers/cli.ts';
import type { RunResult, Scratch } from './helpers/cli.ts';
import { EtcdCluster, haveEtcd, etcdClientEnv } from './helpers/etcd-cluster.ts';
import { call } from './helpers/http-call.ts';
import { Processes, waitFor } from './helpers/processes.ts';

// Issue #14 item 3: `smeconf agent`, each server (root) its own process,
// following layers fleet < host in a real 3-member etcd.

const PREFIX = '/agent-test';
const TARGET = '/etc/agent.conf';
const AGENTS = 10;

describe('smeconf agent on a 3-member etcd', function () {
  this.timeout(180_000);
  let dir: ReturnType<typeof makeTempDir>;
  let cluster: EtcdCluster;
  let admin: Scratch;
  const roots: Scratch[] = [];
  const processes = new Processes();

  const newRoot = (host: string): Scratch => {
    const scratch = makeScratch('sqlite', { ...etcdEnv(cluster), SMECONF_HOST: host });
    write(scratch, `etc/e-smith/templates${TARGET}/template-begin`, ''); // no banner
    write(scratch, `etc/e-smith/templates${TARGET}/10`, 'motd {{prop "agentdemo" "Motd" "none"}}\nbulk {{prop "agentdemo" "Bulk" "0"}}\n');
    return scratch;
  };
  const once = (scratch: Scratch): Promise<RunResult> => runAsync(scratch, 'smeconf', ['agent', '--once', TARGET]);
  const file = (scratch: Scratch): string | undefined => (existsSync(join(scratch.path, TARGET)) ? readFileSync(join(scratch.path, TARGET), 'utf8') : undefined);
  const fleet = (...args: string[]) => run(admin, 'config', ['--layer', 'fleet', ...args]);
  const fleetStore = () => new EtcdBackend({ endpoints: cluster.endpoints, prefix: `${PREFIX}/fleet` });

  before(async function () {
    if (!haveEtcd()) this.skip();
    dir = makeTempDir();
    cluster = await EtcdCluster.start(dir.path, 3);
    admin = newRoot('admin');
    for (let i = 0; i < AGENTS; i++) roots.push(newRoot(`h${i}`));
  });
  after(async () => {
    await processes.stopAll();
    await cluster?.stop();
    for (const scratch of [admin, ...roots, dir]) scratch?.remove();
  });

  it(`applies a fleet-wide change on ${AGENTS} servers, a host-layer override winning on its host only, and reports status/<host>`, async () => {
    assert.equal(fleet('set', 'agentdemo', 'service', 'Motd', 'hello').status, 0);
    assert.equal(run(roots[3]!, 'config', ['setprop', 'agentdemo', 'Motd', 'special']).status, 0, 'the host layer of h3');
    const results = await Promise.all(roots.map(once));
    results.forEach((result, i) => assert.equal(result.status, 0, `h${i}: ${result.stderr}`));
    roots.forEach((scratch, i) => assert.equal(file(scratch), `motd ${i === 3 ? 'special' : 'hello'}\nbulk 0\n`, `h${i}`));
    // the local copy is the root's own store: the server's bins read it without etcd
    assert.deepEqual(run(roots[0]!, 'config', ['getprop', 'agentdemo', 'Motd'], { SMECONF_BACKEND: 'sqlite', SMECONF_LAYERS: '' }).stdout, 'hello\n');

    assert.equal(fleet('setprop', 'agentdemo', 'Motd', 'hello again').status, 0);
    await Promise.all(roots.map(once));
    roots.forEach((scratch, i) => assert.equal(file(scratch), `motd ${i === 3 ? 'special' : 'hello again'}\nbulk 0\n`, `h${i}`));

    const status = await statusOf(cluster, 'h0');
    assert.equal(status['host'], 'h0');
    assert.ok(Number(status['revision']) > 0);
    assert.deepEqual(status['sync'], { full: false, changed: ['configuration'] });
    assert.deepEqual(status['applied'], { written: [join(roots[0]!.path, TARGET)], failed: [], events: [] });
    // a root with no certificate configured: cert status's finding, in short
    assert.deepEqual(status['certificates'], { status: 'error', daysLeft: null, notAfter: null, codes: ['E_CERT_MISSING'] });
  });

  it('long-running: keeps up with a stream of writes while the leader is killed, then exits 0 on SIGTERM', async () => {
    const log = join(dir.path, 'agent-h1.log');
    const agent = processes.start([process.execPath, binPath('smeconf'), 'agent', '--poll-ms', '100', TARGET], log, roots[1]!.env);
    const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
    assert.equal(fleet('setprop', 'agentdemo', 'Motd', 'live').status, 0);
    await waitFor('h1 re-rendered', () => file(roots[1]!) === 'motd live\nbulk 0\n');
    const store = fleetStore();
    const leader = await cluster.leader();
    try {
      for (let i = 1; i <= 40; i++) {
        if (i === 20) await cluster.members[leader]!.kill();
        await store.apply('configuration', [{ op: 'setProps', key: 'agentdemo', props: new Map([['Motd', `stream ${i}`]]) }]);
      }
    } finally {
      await store.close();
    }
    await waitFor('h1 at the last write', () => file(roots[1]!) === 'motd stream 40\nbulk 0\n', 30_000).catch((error: Error) => {
      const copy = run(roots[1]!, 'config', ['getprop', 'agentdemo', 'Motd'], { SMECONF_BACKEND: 'sqlite', SMECONF_LAYERS: '' }).stdout;
      throw new Error(`${error.message}: file ${JSON.stringify(file(roots[1]!))}, copy ${JSON.stringify(copy)}, log:\n${readFileSync(log, 'utf8')}`);
    });
    cluster.members[leader]!.start();
    await cluster.waitHealthy();
    assert.equal(fleet('setprop', 'agentdemo', 'Motd', 'live').status, 0);
    await waitFor('h1 back at live', () => file(roots[1]!) === 'motd live\nbulk 0\n', 30_000);
    // the watcher's write reaches the status (the step after it publishes)
    const written = async () => ((await statusOf(cluster, 'h1'))['applied'] as { written: string[] }).written.includes(join(roots[1]!.path, TARGET));
    await waitFor('the write in status/h1', written);
    agent.kill('SIGTERM');
    assert.equal(await exited, 0, readFileSync(log, 'utf8'));
  });

  it('--event: signals it after a change (its handlers read the local copy), its result in the status; a failed one is exit 1', async () => {
    const scratch = roots[5]!;
    const handler = 'etc/e-smith/events/agent-changed/S10mark';
    write(scratch, handler, '#!/bin/sh\nconfig getprop agentdemo Motd > "$SMECONF_ROOT/marker"\n', 0o755);
    assert.equal(fleet('setprop', 'agentdemo', 'Note', 'one').status, 0);
    const signalled = await runAsync(scratch, 'smeconf', ['agent', '--once', '--event', 'agent-changed', TARGET]);
    assert.equal(signalled.status, 0, signalled.stderr);
    assert.equal(readFileSync(join(scratch.path, 'marker'), 'utf8'), 'live\n');
    const ran = { name: 'agent-changed', args: [], ok: true };
    assert.deepEqual((await statusOf(cluster, 'h5'))['applied'], { written: [], failed: [], events: [ran], lastEvent: ran });

    write(scratch, handler, '#!/bin/sh\necho broken; exit 3\n', 0o755);
    assert.equal(fleet('setprop', 'agentdemo', 'Note', 'two').status, 0);
    const failed = await runAsync(scratch, 'smeconf', ['agent', '--once', '--event', 'agent-changed', TARGET]);
    assert.equal(failed.status, 1);
    assert.match(failed.stdout, /E_EVT_ACTION_FAILED/);
    const event = ((await statusOf(cluster, 'h5'))['applied'] as { lastEvent: { ok: boolean; output: string } }).lastEvent;
    assert.equal(event.ok, false);
    assert.match(event.output, /broken/);
  });

  it('--on: signals the event mapped to a changed record (by key: no argument; by type: the key as argument)', async () => {
    const scratch = roots[7]!;
    for (const event of ['svc-changed', 'alice-changed']) {
      // SME's handlers get the event's name, then its arguments
      write(scratch, `etc/e-smith/events/${event}/S10note`, '#!/bin/sh\necho "$*" >> "$SMECONF_ROOT/calls"\n', 0o755);
    }
    const agent = () => runAsync(scratch, 'smeconf', ['agent', '--once', '--on', 'configuration/type:service=svc-changed', '--on', 'accounts/alice=alice-changed', TARGET]);
    const calls = () => readFileSync(join(scratch.path, 'calls'), 'utf8');
    assert.equal((await agent()).status, 0);
    assert.equal(calls(), 'svc-changed agentdemo\n', 'the first copy: every record is new');
    assert.equal(run(admin, 'db', ['--layer', 'fleet', 'accounts', 'set', 'alice', 'user']).status, 0);
    assert.equal((await agent()).status, 0);
    assert.equal((await agent()).status, 0, 'nothing changed: no event');
    assert.equal(fleet('setprop', 'agentdemo', 'Note', 'three').status, 0);
    assert.equal((await agent()).status, 0);
    assert.equal(calls(), 'svc-changed agentdemo\nalice-changed\nsvc-changed agentdemo\n');
    const usage = await runAsync(scratch, 'smeconf', ['agent', '--once', '--on', 'nonsense']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--on "nonsense": expected DB\/KEY=EVENT or DB\/type:TYPE=EVENT \[E_USAGE\]/);
  });

  it('after 500 changes and a compaction while it was stopped, re-syncs fully to what a fresh agent has', async () => {
    const store = fleetStore();
    try {
      for (let batch = 0; batch < 5; batch++) {
        const ops: Op[] = [];
        for (let i = 0; i < 100; i++) ops.push({ op: 'set', key: `item${batch * 100 + i}`, record: { type: 'item', props: new Map([['n', String(i)]]) } });
        await store.apply('bulk', ops);
      }
      assert.equal(fleet('setprop', 'agentdemo', 'Bulk', '500').status, 0);
      await store.compact(await store.revision());
    } finally {
      await store.close();
    }
    const restarted = await once(roots[2]!);
    assert.equal(restarted.status, 0, restarted.stderr);
    assert.match(restarted.stderr, /full re-sync \(the history since the applied revision is compacted\)/);
    const fresh = newRoot('h2');
    roots.push(fresh);
    assert.equal((await once(fresh)).status, 0);
    assert.equal(file(roots[2]!), 'motd live\nbulk 500\n');
    assert.equal(file(fresh), file(roots[2]!));
    const local = { SMECONF_BACKEND: 'sqlite', SMECONF_LAYERS: '' };
    const show = (scratch: Scratch) => run(scratch, 'db', ['bulk', 'show'], local).stdout;
    assert.equal(show(roots[2]!).split('=item').length - 1, 500);
    assert.equal(show(roots[2]!), show(fresh));
  });

  it('without quorum or cluster keeps its copy and files, fails with a coded error, and converges when quorum returns', async () => {
    const scratch = roots[4]!;
    assert.equal((await once(scratch)).status, 0);
    const before = file(scratch);
    // and a long-running agent through the outage
    const follower = roots[6]!;
    const log = join(dir.path, 'agent-h6.log');
    const agent = processes.start([process.execPath, binPath('smeconf'), 'agent', '--poll-ms', '100', TARGET], log, follower.env);
    const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
    await waitFor('h6 rendered', () => file(follower) === before);
    const leader = await cluster.leader();
    const others = cluster.members.filter((_, i) => i !== leader);
    await Promise.all(others.map((member) => member.kill()));
    const noQuorum = fleet('setprop', 'agentdemo', 'Motd', 'lost');
    assert.notEqual(noQuorum.status, 0);
    assert.match(noQuorum.stderr, /E_DB_NO_QUORUM/);
    const withoutQuorum = await once(scratch);
    assert.notEqual(withoutQuorum.status, 0);
    assert.match(withoutQuorum.stderr, /E_DB_(NO_QUORUM|UNREACHABLE)/);
    await cluster.members[leader]!.kill();
    const down = await once(scratch);
    assert.notEqual(down.status, 0);
    assert.match(down.stderr, /E_DB_UNREACHABLE/);
    assert.equal(file(scratch), before);
    assert.equal(run(scratch, 'config', ['getprop', 'agentdemo', 'Motd'], { SMECONF_BACKEND: 'sqlite', SMECONF_LAYERS: '' }).stdout, 'live\n');

    for (const member of cluster.members) member.start();
    await cluster.waitHealthy();
    assert.equal(fleet('setprop', 'agentdemo', 'Motd', 'back').status, 0);
    const back = await once(scratch);
    assert.equal(back.status, 0, back.stderr);
    assert.equal(file(scratch), 'motd back\nbulk 500\n');
    await waitFor('h6 caught up', () => file(follower) === 'motd back\nbulk 500\n', 60_000);
    agent.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(readFileSync(log, 'utf8'), /smeconf agent: step failed, keeping the local copy \(next try in \d+ ms\): E_DB_UNREACHABLE/);
  });
});

function etcdEnv(cluster: EtcdCluster): NodeJS.ProcessEnv {
  return { ...etcdClientEnv(cluster, PREFIX), SMECONF_LAYERS: 'fleet,host' };
}

/** `<prefix>/status/<host>` as etcd's gateway returns it. */
async function statusOf(cluster: EtcdCluster, host: string): Promise<Record<string, unknown>> {
  const key = Buffer.from(`${PREFIX}/status/${host}`).toString('base64');
  const reply = await call(`${cluster.endpoints[0]}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key }) });
  const value = (JSON.parse(reply.body) as { kvs?: { value: string }[] }).kvs?.[0]?.value;
  assert.ok(value !== undefined, `no status for ${host}`);
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
}
