import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Backend, ChangeEntry, Op } from '@smeconf/db';
import { MemoryBackend, compareBytes, makeRecord, sortedProps } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import { SqliteBackend } from '../src/index.ts';

const plainLog = (entries: readonly ChangeEntry[]) => entries.map((e) => [e.revision, e.db, e.key, e.prop, e.old, e.new]);
const plainRecords = async (backend: Backend, db: string) =>
  (await backend.list(db)).map((r) => [r.key, r.type, sortedProps(r)]);

/** `n` records, keys deliberately out of byte order, props out of order too. */
function records(n: number, version: string): Op[] {
  const ops: Op[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const props: [string, string][] = [['Uid', `${i}`], ['FirstName', `F${i}${version}`], ['Shell', '/bin/sh']];
    if (i % 3 === 0) props.push([`Extra${version}`, 'x']);
    ops.push({ op: 'set', key: `user${i}`, record: makeRecord(i % 5 === 0 ? `user${version}` : 'user', props) });
  }
  return ops;
}

describe('SqliteBackend change log', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let sqlite: SqliteBackend;
  beforeEach(() => {
    dir = makeTempDir();
    sqlite = new SqliteBackend({ file: join(dir.path, 'store.sqlite') });
  });
  afterEach(async () => {
    await sqlite.close();
    dir.remove();
  });

  it('logs a replacement in the order of the keys read, then the keys set, props in byte order', async () => {
    await sqlite.apply('db', [
      { op: 'set', key: 'b', record: makeRecord('t', [['p', '1']]) },
      { op: 'set', key: 'a', record: makeRecord('t') },
    ]);
    const { revision } = await sqlite.apply('db', [
      { op: 'clear' },
      { op: 'set', key: 'z', record: makeRecord('u', [['y', '1'], ['x', '2']]) },
      { op: 'set', key: 'a', record: makeRecord('t', [['q', '1']]) },
    ]);
    assert.deepEqual(plainLog(await sqlite.changesSince(revision - 1)), [
      [revision, 'db', 'a', 'q', null, '1'],
      [revision, 'db', 'b', null, 't', null],
      [revision, 'db', 'b', 'p', '1', null],
      [revision, 'db', 'z', null, null, 'u'],
      [revision, 'db', 'z', 'x', null, '2'],
      [revision, 'db', 'z', 'y', null, '1'],
    ]);
  });

  it('writes large batches (many statements of many rows) exactly as the memory backend does', async () => {
    const memory = new MemoryBackend();
    // a clear logs the keys it removes in the order the backend lists them:
    // byte order for sqlite, insertion order for memory, the same here
    const inByteOrder = records(101, 'a').sort((x, y) => compareBytes((x as { key: string }).key, (y as { key: string }).key));
    const batches: Op[][] = [
      inByteOrder,
      [{ op: 'clear' }, ...records(77, 'b')],
      [{ op: 'delete', key: 'user3' }, { op: 'setProps', key: 'user70', props: new Map([['Shell', '/bin/bash']]) }],
      records(1, 'c'),
    ];
    for (const ops of batches) {
      assert.deepEqual(await sqlite.apply('accounts', ops), await memory.apply('accounts', ops));
    }
    assert.deepEqual(plainLog(await sqlite.changesSince(0)), plainLog(await memory.changesSince(0)));
    assert.deepEqual(await plainRecords(sqlite, 'accounts'), await plainRecords(memory, 'accounts'));
    const times = new Map<number, Set<number>>();
    for (const entry of await sqlite.changesSince(0)) times.set(entry.revision, (times.get(entry.revision) ?? new Set()).add(entry.time));
    assert.deepEqual([...times.values()].map((set) => set.size), [1, 1, 1, 1]);
  });

  it('writes nothing of a batch that fails part-way through its rows', async () => {
    const file = join(dir.path, 'store.sqlite');
    await sqlite.apply('accounts', records(10, 'a'));
    await sqlite.close();
    const raw = new Database(file);
    raw.exec("CREATE TRIGGER refuse AFTER INSERT ON changes WHEN NEW.new = 'F40b' BEGIN SELECT RAISE(FAIL, 'refused'); END");
    raw.close();
    const before = [await plainRecords(sqlite, 'accounts'), plainLog(await sqlite.changesSince(0)), await sqlite.revision()];
    await assert.rejects(sqlite.apply('accounts', [{ op: 'clear' }, ...records(100, 'b')]), /refused/);
    assert.deepEqual([await plainRecords(sqlite, 'accounts'), plainLog(await sqlite.changesSince(0)), await sqlite.revision()], before);
  });
});
