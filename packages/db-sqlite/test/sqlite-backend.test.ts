import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeRecord } from '@smeconf/db';
import { describeBackendConformance, makeTempDir } from '@smeconf/db/testing';
import { SqliteBackend } from '../src/index.ts';

describeBackendConformance('sqlite', async () => {
  const dir = makeTempDir();
  return { backend: new SqliteBackend({ file: join(dir.path, 'store.sqlite') }), cleanup: async () => dir.remove() };
}, { history: true });

describe('SqliteBackend', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('does not create the store to read it', async () => {
    const file = join(dir.path, 'store.sqlite');
    const backend = new SqliteBackend({ file });
    assert.deepEqual(await backend.list('configuration'), []);
    assert.equal(await backend.revision(), 0);
    assert.equal(existsSync(file), false);
  });

  it('creates a WAL-mode store on the first write', async () => {
    const file = join(dir.path, 'store.sqlite');
    const backend = new SqliteBackend({ file });
    await backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('v') }]);
    await backend.close();
    const raw = new Database(file, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
  });

  it('refuses to create a store in a missing directory, naming it', async () => {
    const file = join(dir.path, 'missing', 'store.sqlite');
    await assert.rejects(new SqliteBackend({ file }).apply('db', [{ op: 'delete', key: 'k' }]), {
      code: 'E_DB_IO',
      message: `cannot create database ${file}: directory ${join(dir.path, 'missing')} does not exist`,
    });
  });

  it('reports a file that is not a store as E_DB_CORRUPT', async () => {
    const file = join(dir.path, 'store.sqlite');
    writeFileSync(file, 'this is not sqlite, just text that is long enough to have a header page........'.repeat(20));
    await assert.rejects(new SqliteBackend({ file }).list('db'), { code: 'E_DB_CORRUPT' });
  });

  it('reports a write locked out by another writer as E_DB_BUSY', async () => {
    const file = join(dir.path, 'store.sqlite');
    mkdirSync(dir.path, { recursive: true });
    const first = new SqliteBackend({ file });
    await first.apply('db', [{ op: 'set', key: 'k', record: makeRecord('v') }]);
    const holder = new Database(file);
    holder.prepare('BEGIN IMMEDIATE').run();
    try {
      const second = new SqliteBackend({ file, busyTimeoutMs: 50 });
      await assert.rejects(second.apply('db', [{ op: 'set', key: 'k', record: makeRecord('w') }]), { code: 'E_DB_BUSY' });
      await second.close();
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
      await first.close();
    }
  });
});
