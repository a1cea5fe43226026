import assert from 'node:assert/strict';
import { describe, it, beforeEach, afterEach } from 'mocha';
import type { Backend } from '../backend.ts';
import { ConfigDb } from '../config-db.ts';
import { makeRecord } from '../record.ts';
import type { RecordData } from '../record.ts';

export interface BackendFixture {
  readonly backend: Backend;
  cleanup(): Promise<void>;
}

const plain = (record: RecordData | undefined) =>
  record && { type: record.type, props: Object.fromEntries(record.props) };

/**
 * The conformance suite every backend passes (`@smeconf/db/testing`):
 * values kept exactly, byte order, atomic batches, op semantics, revisions
 * and, where the backend keeps one, the change log.
 */
export function describeBackendConformance(
  name: string,
  makeFixture: () => Promise<BackendFixture>,
  expect: { readonly history: boolean },
): void {
  describe(`backend conformance: ${name}`, () => {
    let fixture: BackendFixture;
    let backend: Backend;
    beforeEach(async () => {
      fixture = await makeFixture();
      backend = fixture.backend;
    });
    afterEach(async () => {
      await backend.close();
      await fixture.cleanup();
    });

    it('reads a missing database as empty', async () => {
      assert.deepEqual(await backend.list('nothing'), []);
      assert.equal(await backend.get('nothing', 'k'), undefined);
    });

    it('keeps every type and value exactly', async () => {
      const tricky = ['', ' lead', 'trail ', 'a|b', 'x=y', 'tab\there', 'multi\nline', 'ünïcödé ✓', '0', 'CR\r', 'back\\slash'];
      const props = tricky.map((value, i) => [`p${i}`, value] as const);
      await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord(' type|with=odd ', props) }]);
      assert.deepEqual(plain(await backend.get('db', 'k')), { type: ' type|with=odd ', props: Object.fromEntries(props) });
    });

    it('lists keys in byte order and keeps databases apart', async () => {
      const keys = ['b', 'a', '_', 'B', '10', '9', 'É', 'z'];
      await backend.apply('one', keys.map((key) => ({ op: 'set', key, record: makeRecord('t') })));
      await backend.apply('two', [{ op: 'set', key: 'other', record: makeRecord('t') }]);
      assert.deepEqual((await backend.list('one')).map((r) => r.key), ['10', '9', 'B', '_', 'a', 'b', 'z', 'É']);
      assert.deepEqual((await backend.list('two')).map((r) => r.key), ['other']);
    });

    it('applies op semantics and reports which keys existed', async () => {
      const result = await backend.apply('db', [
        { op: 'create', key: 'k', record: makeRecord('first', [['a', '1']]) },
        { op: 'create', key: 'k', record: makeRecord('second') },
        { op: 'setProps', key: 'k', props: new Map([['b', '2'], ['type', 'a prop']]) },
        { op: 'setProps', key: 'missing', props: new Map([['x', 'y']]) },
        { op: 'delProps', key: 'k', names: ['a', 'nope'] },
        { op: 'setType', key: 'k', type: 'third' },
        { op: 'fill', key: 'k', record: makeRecord('ignored', [['b', 'default'], ['c', '3']]) },
      ]);
      assert.deepEqual(result.existed, [false, true, true, false, true, true, true]);
      assert.equal(result.changed, true);
      assert.deepEqual(plain(await backend.get('db', 'k')), { type: 'third', props: { b: '2', type: 'a prop', c: '3' } });
      assert.equal(await backend.get('db', 'missing'), undefined);
    });

    it('deletes, clears and replaces', async () => {
      await backend.apply('db', ['a', 'b', 'c'].map((key) => ({ op: 'set', key, record: makeRecord('t') })));
      const deleted = await backend.apply('db', [{ op: 'delete', key: 'b' }, { op: 'delete', key: 'b' }]);
      assert.deepEqual(deleted.existed, [true, false]);
      await backend.apply('db', [{ op: 'clear' }, { op: 'set', key: 'c', record: makeRecord('new') }]);
      assert.deepEqual((await backend.list('db')).map((r) => [r.key, r.type]), [['c', 'new']]);
    });

    it('writes nothing and keeps the revision when nothing changes', async () => {
      await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('t', [['p', 'v']]) }]);
      const before = await backend.revision('db');
      const result = await backend.apply('db', [{ op: 'setProps', key: 'k', props: new Map([['p', 'v']]) }]);
      assert.equal(result.changed, false);
      assert.equal(await backend.revision('db'), before);
    });

    it('changes the revision on every change and honours expectRevision', async () => {
      const first = await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('1') }]);
      const second = await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('2') }]);
      assert.notEqual(second.revision, first.revision);
      assert.equal(await backend.revision('db'), second.revision);
      await assert.rejects(
        backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('3') }], { expectRevision: first.revision }),
        { code: 'E_DB_CONFLICT' },
      );
      assert.equal((await backend.get('db', 'k'))?.type, '2');
    });

    if (!expect.history) {
      it('says it keeps no change log, and keeps none', async () => {
        await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('t', [['p', 'v']]) }]);
        assert.deepEqual([backend.capabilities.history, typeof backend.history, typeof backend.changesSince], [false, 'undefined', 'undefined']);
        await assert.rejects(new ConfigDb(backend, 'db').history(), {
          code: 'E_DB_NO_HISTORY',
          message: `the ${backend.name} backend keeps no change log`,
        });
      });
      return;
    }

    it('logs every type and prop change', async () => {
      assert.equal(backend.capabilities.history, true);
      assert.ok(backend.history !== undefined);
      await backend.apply('db', [{ op: 'set', key: 'k', record: makeRecord('t', [['p', 'old']]) }]);
      await backend.apply('db', [{ op: 'setProps', key: 'k', props: new Map([['p', 'new']]) }]);
      await backend.apply('db', [{ op: 'delete', key: 'k' }]);
      const log = (await backend.history('db')).map((e) => [e.key, e.prop, e.old, e.new]);
      assert.deepEqual(log, [
        ['k', null, null, 't'],
        ['k', 'p', null, 'old'],
        ['k', 'p', 'old', 'new'],
        ['k', null, 't', null],
        ['k', 'p', 'new', null],
      ]);
      const only = await backend.history('db', { key: 'k', prop: 'p', limit: 1 });
      assert.deepEqual(only.map((e) => e.new), [null]);
      const first = (await backend.history('db'))[0]!.revision;
      await backend.apply('other', [{ op: 'set', key: 'x', record: makeRecord('y') }]);
      const since = await backend.changesSince!(first);
      assert.deepEqual(since.map((e) => [e.db, e.key, e.prop, e.new]), [
        ['db', 'k', 'p', 'new'],
        ['db', 'k', null, null],
        ['db', 'k', 'p', null],
        ['other', 'x', null, 'y'],
      ]);
    });
  });
}
export { makeTempDir, type TempDir } from './temp-dir.ts';
