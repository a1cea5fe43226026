import assert from 'node:assert/strict';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeRecord } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import { SqliteBackend } from '../src/index.ts';

const modes = (file: string) => ['', '-wal', '-shm'].map((suffix) => (statSync(file + suffix).mode & 0o7777).toString(8));

describe('SqliteBackend file modes', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('creates the store and its -wal and -shm 0640, whatever the umask', async () => {
    const file = join(dir.path, 'store.sqlite');
    const umask = process.umask(0);
    const backend = new SqliteBackend({ file });
    try {
      await backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('secret') }]);
      assert.deepEqual(modes(file), ['640', '640', '640']);
    } finally {
      process.umask(umask);
      await backend.close();
    }
  });

  it('narrows a looser store, -wal and -shm to 0640 when it opens them, one warning each', async () => {
    const file = join(dir.path, 'store.sqlite');
    const writer = new SqliteBackend({ file });
    await writer.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('secret') }]);
    const holder = new Database(file); // keeps -wal and -shm in place
    holder.pragma('user_version');
    try {
      for (const suffix of ['', '-wal', '-shm']) chmodSync(file + suffix, 0o666);
      const warnings: string[] = [];
      const reader = new SqliteBackend({ file, warn: (line) => warnings.push(line) });
      assert.equal((await reader.get('configuration', 'k'))?.type, 'secret');
      await reader.close();
      assert.deepEqual(modes(file), ['640', '640', '640']);
      assert.deepEqual(warnings, ['', '-wal', '-shm'].map((suffix) => `${file}${suffix} was mode 0666, now 0640`));
    } finally {
      holder.close();
      await writer.close();
    }
  });
});
