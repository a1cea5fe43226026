import assert from 'node:assert/strict';
import { ConfigDb, MemoryBackend, makeRecord } from '@smeconf/db';
import type { RecordData } from '@smeconf/db';
import { LayeredBackend } from '../src/index.ts';

const plain = (record: RecordData | undefined) => record && { type: record.type, props: Object.fromEntries(record.props) };

/** fleet < group:web < host, each its own MemoryBackend, the view writing to `write`. */
function makeLayers(write?: string) {
  const stores = { fleet: new MemoryBackend(), 'group:web': new MemoryBackend(), host: new MemoryBackend() };
  const layers = Object.entries(stores).map(([name, backend]) => ({ name, backend }));
  const view = new LayeredBackend({ layers, ...(write !== undefined && { writeLayer: write }) });
  const layer = (name: keyof typeof stores) => new ConfigDb(stores[name], 'configuration');
  return { stores, view, db: new ConfigDb(view, 'configuration'), layer };
}

describe('LayeredBackend: reads', () => {
  it('merges a record prop by prop, the higher layer winning, the type from the highest layer that has it', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('httpd-e-smith', 'service', new Map([['status', 'enabled'], ['TCPPort', '80'], ['MaxClients', '150']]));
    await layer('group:web').set('httpd-e-smith', 'service', new Map([['MaxClients', '400']]));
    await layer('host').set('httpd-e-smith', 'daemon', new Map([['TCPPort', '8080']]));
    assert.deepEqual(plain(await db.get('httpd-e-smith')), { type: 'daemon', props: { status: 'enabled', TCPPort: '8080', MaxClients: '400' } });
  });

  it('lists every key of any layer in byte order, each merged', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('b', 'fleet-type', new Map([['p', 'fleet']]));
    await layer('fleet').set('a', 'only-fleet');
    await layer('host').set('B', 'only-host');
    await layer('host').set('b', 'host-type');
    const listed = (await db.list()).map((r) => [r.key, r.type, Object.fromEntries(r.props)]);
    assert.deepEqual(listed, [['B', 'only-host', {}], ['a', 'only-fleet', {}], ['b', 'host-type', { p: 'fleet' }]]);
  });

  it('says where each prop and the type come from', async () => {
    const { view, layer } = makeLayers();
    await layer('fleet').set('k', 'fleet-type', new Map([['a', '1'], ['b', '1'], ['c', '1']]));
    await layer('group:web').set('k', 'web-type', new Map([['b', '2']]));
    await layer('host').setProps('k', new Map([['c', '3']])); // no host record: nothing written
    const found = await view.provenance('configuration', 'k');
    assert.deepEqual([found?.typeFrom, Object.fromEntries(found!.from)], ['group:web', { a: 'fleet', b: 'group:web', c: 'fleet' }]);
    assert.equal(await view.provenance('configuration', 'missing'), undefined);
  });
});

describe('LayeredBackend: writes go to one layer, with ConfigDb semantics on the merged view', () => {
  it('setprop on a record only below creates the host record carrying only what was set, the type kept', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('sshd', 'service', new Map([['status', 'enabled'], ['TCPPort', '22']]));
    assert.equal(await db.setProps('sshd', new Map([['TCPPort', '2222']])), true);
    assert.deepEqual(plain(await layer('host').get('sshd')), { type: 'service', props: { TCPPort: '2222' } });
    assert.deepEqual(plain(await layer('fleet').get('sshd')), { type: 'service', props: { status: 'enabled', TCPPort: '22' } });
    assert.deepEqual(plain(await db.get('sshd')), { type: 'service', props: { status: 'enabled', TCPPort: '2222' } });
  });

  it('setprop and settype on a key no layer has write nothing and report it missing', async () => {
    const { db, stores } = makeLayers();
    assert.equal(await db.setProps('nope', new Map([['a', '1']])), false);
    assert.equal(await db.setType('nope', 't'), false);
    assert.equal(await db.delProps('nope', ['a']), false);
    assert.deepEqual(await Promise.all(Object.values(stores).map((s) => s.revision())), [0, 0, 0]);
  });

  it('delprop on the host layer removes the host value and so reveals the lower one', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('sshd', 'service', new Map([['TCPPort', '22']]));
    await layer('group:web').set('sshd', 'service', new Map([['TCPPort', '2200']]));
    await db.setProps('sshd', new Map([['TCPPort', '2222']]));
    assert.equal(await db.getProp('sshd', 'TCPPort'), '2222');
    assert.equal(await db.delProps('sshd', ['TCPPort']), true);
    assert.equal(await db.getProp('sshd', 'TCPPort'), '2200');
    assert.deepEqual(plain(await layer('host').get('sshd')), { type: 'service', props: {} });
  });

  it('delete removes the write layer record only: the lower record shows through, and existed says what the write layer had', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('ntpd', 'service', new Map([['status', 'enabled']]));
    await db.setProps('ntpd', new Map([['status', 'disabled']]));
    assert.equal(await db.delete('ntpd'), true);
    assert.deepEqual(plain(await db.get('ntpd')), { type: 'service', props: { status: 'enabled' } });
    assert.equal(await db.delete('ntpd'), false, 'the host layer has no ntpd any more');
    assert.equal(await layer('fleet').delete('ntpd'), true);
    assert.equal(await db.get('ntpd'), undefined);
  });

  it('setdefault keeps a record that exists below; set replaces the write layer record, lower props still showing', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('k', 'fleet-type', new Map([['a', '1'], ['b', '1']]));
    assert.equal(await db.setDefault('k', 'other', new Map([['a', '2']])), false);
    assert.equal(await layer('host').get('k'), undefined);
    await db.set('k', 'host-type', new Map([['b', '2']]));
    assert.deepEqual(plain(await db.get('k')), { type: 'host-type', props: { a: '1', b: '2' } });
  });

  it('settype on a record only below makes a host record of that type with no props', async () => {
    const { db, layer } = makeLayers();
    await layer('fleet').set('k', 'service', new Map([['a', '1']]));
    assert.equal(await db.setType('k', 'daemon'), true);
    assert.deepEqual(plain(await layer('host').get('k')), { type: 'daemon', props: {} });
    assert.deepEqual(plain(await db.get('k')), { type: 'daemon', props: { a: '1' } });
  });

  it('fill adds to the write layer only the props the merged record lacks', async () => {
    const { view, layer } = makeLayers();
    await layer('fleet').set('k', 'service', new Map([['a', '1']]));
    const result = await view.apply('configuration', [{ op: 'fill', key: 'k', record: makeRecord('ignored', [['a', 'default'], ['b', 'default']]) }]);
    assert.deepEqual(result.existed, [true]);
    assert.deepEqual(plain(await layer('host').get('k')), { type: 'service', props: { b: 'default' } });
  });

  it('each op of a batch sees the merged result of the ones before it', async () => {
    const { view, layer } = makeLayers();
    await layer('fleet').set('k', 'service', new Map([['a', '1']]));
    const result = await view.apply('configuration', [
      { op: 'delete', key: 'k' },
      { op: 'setProps', key: 'k', props: new Map([['b', '2']]) },
      { op: 'clear' },
      { op: 'create', key: 'k', record: makeRecord('never') },
      { op: 'setProps', key: 'new', props: new Map([['x', 'y']]) },
    ]);
    assert.deepEqual(result.existed, [false, true, true, true, false]);
    assert.equal(await layer('host').get('k'), undefined);
    assert.deepEqual(plain(await view.get('configuration', 'k')), { type: 'service', props: { a: '1' } });
  });

  it('writes to the chosen layer; a higher layer still wins over it', async () => {
    const { db, layer } = makeLayers('group:web');
    await layer('host').set('k', 'service', new Map([['a', 'host']]));
    await db.set('k', 'group-type', new Map([['a', 'web'], ['b', 'web']]));
    assert.deepEqual(plain(await layer('group:web').get('k')), { type: 'group-type', props: { a: 'web', b: 'web' } });
    assert.deepEqual(plain(await db.get('k')), { type: 'service', props: { a: 'host', b: 'web' } });
  });

  it('refuses a write layer that is not one of its layers', () => {
    assert.throws(() => makeLayers('group:odoo'), { code: 'E_LAYER_INVALID', message: 'no layer group:odoo (the layers are fleet, group:web, host)' });
  });
});

describe('LayeredBackend: revision and change log', () => {
  it('changes the revision when any layer changes, and checks expectRevision against it', async () => {
    const { view, db, layer } = makeLayers();
    const seen = [await view.revision('configuration')];
    await layer('fleet').set('a', 't');
    seen.push(await view.revision('configuration'));
    await layer('group:web').set('a', 't');
    seen.push(await view.revision('configuration'));
    const written = await view.apply('configuration', [{ op: 'set', key: 'b', record: makeRecord('t') }]);
    seen.push(await view.revision('configuration'));
    assert.equal(new Set(seen).size, 4);
    assert.equal(written.revision, seen[3]);
    await layer('fleet').set('a', 'u');
    await assert.rejects(view.apply('configuration', [{ op: 'set', key: 'b', record: makeRecord('v') }], { expectRevision: seen[3]! }), { code: 'E_DB_CONFLICT' });
    assert.equal(await db.get('b').then((r) => r?.type), 't');
  });

  it('history is the write layer\'s; changesSince takes a revision of the view and gives the write layer\'s changes', async () => {
    const { view, layer } = makeLayers();
    await layer('fleet').set('f', 't');
    const start = await view.revision('configuration');
    await view.apply('configuration', [{ op: 'set', key: 'h', record: makeRecord('t') }]);
    await layer('fleet').set('g', 't');
    assert.deepEqual((await view.history!('configuration')).map((e) => [e.key, e.new]), [['h', 't']]);
    const since = await view.changesSince!(start);
    assert.deepEqual(since.map((e) => [e.key, e.new]), [['h', 't']]);
    assert.deepEqual(await view.changesSince!(Math.max(...since.map((e) => e.revision))), []);
  });
});
