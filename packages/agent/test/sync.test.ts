import assert from 'node:assert/strict';
import { MemoryBackend } from '@smeconf/db';
import type { Backend, RecordData } from '@smeconf/db';
import { syncLayers } from '@smeconf/agent';
import type { AgentLayer, AgentState } from '@smeconf/agent';

// syncLayers on in-memory layers (the etcd runs are test/agent.test.ts):
// which databases a step merges again, and what the local copy holds.

const record = (type: string, props: Record<string, string>): RecordData => ({ type, props: new Map(Object.entries(props)) });

function layer(name: string, backend: Backend, dbs: string[]): AgentLayer {
  return { name, backend, databases: async () => dbs };
}

async function show(backend: Backend, db: string): Promise<string[]> {
  return (await backend.list(db)).map(({ key, type, props }) => `${key}=${type} ${[...props].map(([n, v]) => `${n}=${v}`).join(' ')}`);
}

describe('syncLayers', () => {
  it('merges every layer into one batch per database, then only the databases a layer changed', async () => {
    const fleet = new MemoryBackend();
    const host = new MemoryBackend();
    const local = new MemoryBackend();
    await fleet.apply('configuration', [{ op: 'set', key: 'sshd', record: record('service', { TCPPort: '22', status: 'enabled' }) }]);
    await fleet.apply('hosts', [{ op: 'set', key: 'www', record: record('host', { HostType: 'Self' }) }]);
    await host.apply('configuration', [{ op: 'set', key: 'sshd', record: record('service', { TCPPort: '2222' }) }]);
    const layers = [layer('fleet', fleet, ['configuration', 'hosts']), layer('host', host, ['configuration'])];

    const first = await syncLayers(layers, local, undefined);
    assert.equal(first.full, true);
    assert.deepEqual(first.changed, ['configuration', 'hosts']);
    assert.deepEqual(await show(local, 'configuration'), ['sshd=service TCPPort=2222 status=enabled']);

    await host.apply('configuration', [{ op: 'delProps', key: 'sshd', names: ['TCPPort'] }]);
    const second = await syncLayers(layers, local, first.state);
    assert.equal(second.full, false);
    assert.deepEqual(second.changed, ['configuration'], 'the host layer revealed the fleet value');
    assert.deepEqual(await show(local, 'configuration'), ['sshd=service TCPPort=22 status=enabled']);

    const third = await syncLayers(layers, local, second.state);
    assert.deepEqual([third.full, third.changed], [false, []]);
  });

  it('re-syncs fully when the layers change, emptying a database no layer has any more', async () => {
    const fleet = new MemoryBackend();
    const group = new MemoryBackend();
    const local = new MemoryBackend();
    await group.apply('accounts', [{ op: 'set', key: 'alice', record: record('user', {}) }]);
    const before = await syncLayers([layer('fleet', fleet, []), layer('group:web', group, ['accounts'])], local, undefined);
    assert.deepEqual(await show(local, 'accounts'), ['alice=user ']);
    const after = await syncLayers([layer('fleet', fleet, [])], local, before.state);
    assert.equal(after.full, true);
    assert.match(after.reason ?? '', /the layers changed/);
    assert.deepEqual(await show(local, 'accounts'), []);
    const state: AgentState = after.state;
    assert.deepEqual(state.layers, ['fleet']);
  });
});
