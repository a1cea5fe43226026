import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../src/index.ts';

/** Polls /proc/locks until a request waits on the file (bounded: 20 s, for a loaded machine). */
async function waitForWaiter(path: string): Promise<void> {
  const ino = String(statSync(path).ino);
  for (let i = 0; i < 2000; i++) {
    if (readFileSync('/proc/locks', 'latin1').split('\n').some((line) => line.includes('->') && line.trim().endsWith(`:${ino} 0 EOF`))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no waiter showed up in /proc/locks');
}

describe('acquireLock (@smeconf/files: the flat-file write lock and the event lock)', () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => {
    const path = mkdtempSync(join(tmpdir(), 'smeconf-lock-'));
    dir = { path, remove: () => rmSync(path, { recursive: true, force: true }) };
  });
  afterEach(() => dir.remove());

  it('excludes other flock users while held; the lock file stays on release, unlocked, and is taken again', () => {
    const path = join(dir.path, 'db.lock');
    const lock = acquireLock(path, 5);
    assert.equal(spawnSync('flock', ['-n', path, 'true']).status, 1);
    lock.release();
    assert.equal(existsSync(path), true);
    assert.equal(spawnSync('flock', ['-n', path, 'true']).status, 0);
    const again = acquireLock(path, 5);
    assert.equal(again.stillHeld(), true);
    again.release();
  });

  it('a writer queued on the lock gets it on release (the file is not unlinked under it)', async () => {
    const path = join(dir.path, 'db.lock');
    const lock = acquireLock(path, 5);
    const waiter = spawn('flock', ['-x', path, 'true']);
    const done = new Promise((resolve) => waiter.on('close', resolve));
    await waitForWaiter(path);
    lock.release();
    assert.equal(await done, 0);
    assert.equal(existsSync(path), true);
  });

  it('says so when its lock file was removed or replaced under it', () => {
    const path = join(dir.path, 'db.lock');
    const lock = acquireLock(path, 5);
    assert.equal(lock.stillHeld(), true);
    spawnSync('rm', [path]);
    assert.equal(lock.stillHeld(), false);
    lock.release();
  });

  it('refuses a symlink at the lock path with E_DB_IO, creating nothing through it', () => {
    const path = join(dir.path, 'db.lock');
    spawnSync('ln', ['-s', join(dir.path, 'victim'), path]);
    assert.throws(() => acquireLock(path, 1), { code: 'E_DB_IO', message: `cannot lock ${path}: it is a symbolic link` });
    assert.equal(existsSync(join(dir.path, 'victim')), false);
  });

  it('gives up with E_DB_BUSY after its timeout', () => {
    const path = join(dir.path, 'db.lock');
    const holder = acquireLock(path, 5);
    try {
      assert.throws(() => acquireLock(path, 1), { code: 'E_DB_BUSY', message: `cannot lock ${path}: still held by another writer after 1s` });
    } finally {
      holder.release();
    }
  });
});
