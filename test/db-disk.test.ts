import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/**
 * A scratch root on its own small tmpfs (root only), so that "the disk is
 * full" and "the file system is read-only" are real and deterministic.
 */
function mountScratch(outer: TempDir): Scratch | undefined {
  const path = join(outer.path, 'root');
  mkdirSync(path);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', path]).status !== 0) return undefined;
  const dbDir = join(path, 'home/e-smith/db');
  mkdirSync(dbDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, SMECONF_ROOT: path, SMECONF_BACKEND: 'sqlite', SMECONF_SERVICE_MANAGER: 'none' };
  delete env['DBPATH'];
  return { path, dbDir, env, remove: () => spawnSync('umount', [path]) };
}

/** Writes until the file system says ENOSPC. */
function fill(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096, 1));
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
}

const remount = (scratch: Scratch, how: 'ro' | 'rw') => assert.equal(spawnSync('mount', ['-o', `remount,${how}`, scratch.path]).status, 0);

describe('a full disk and a read-only root (sqlite store)', function () {
  this.timeout(60_000);
  let outer: TempDir;
  let scratch: Scratch;
  let store: string;
  before(function () {
    outer = makeTempDir('smeconf-disk-');
    const mounted = mountScratch(outer);
    if (mounted === undefined) {
      console.error('    SKIPPED: cannot mount a tmpfs (needs root): the full-disk and read-only tests did not run');
      outer.remove();
      this.skip();
    }
    scratch = mounted;
    store = join(scratch.dbDir, 'smeconf.sqlite');
    assert.equal(run(scratch, 'config', ['set', 'DomainName', 'example.com']).status, 0);
    assert.equal(run(scratch, 'config', ['set', 'letsencrypt', 'service', 'status', 'enabled']).status, 0);
    // a trivial event (one handler that writes nothing) with its lock and log directories
    const event = join(scratch.path, 'etc/e-smith/events/noop');
    mkdirSync(event, { recursive: true });
    writeFileSync(join(event, 'S10noop'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    assert.equal(run(scratch, 'signal-event', ['noop']).status, 0);
    rmSync(join(scratch.path, 'var/log/smeconf/events.log'));
  });
  after(() => {
    if (scratch === undefined) return;
    scratch.remove();
    outer.remove();
  });

  describe('full', () => {
    before(() => {
      // a flat file too, with the same records, for the flat-file write
      const exported = run(scratch, 'smeconf', ['export', 'configuration']);
      writeFileSync(join(scratch.dbDir, 'configuration'), exported.stdout, { mode: 0o640 });
      fill(scratch.path);
    });
    after(() => {
      rmSync(join(scratch.path, 'filler'));
      rmSync(join(scratch.dbDir, 'configuration'));
    });

    it('reads still work: config show, getprop (exit 0)', () => {
      const show = run(scratch, 'config', ['show', 'DomainName']);
      assert.deepEqual([show.status, show.stdout, show.stderr], [0, 'DomainName=example.com\n', '']);
      const getprop = run(scratch, 'config', ['getprop', 'letsencrypt', 'status']);
      assert.deepEqual([getprop.status, getprop.stdout, getprop.stderr], [0, 'enabled\n', '']);
    });

    it('a write is E_DB_FULL (exit 4), one line, and the store is unchanged', () => {
      const before = readFileSync(store);
      const result = run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'disabled']);
      assert.deepEqual([result.status, result.stdout, result.stderr], [4, '', `config: database ${store}: the disk is full [E_DB_FULL]\n`]);
      assert.deepEqual(readFileSync(store), before);
      assert.equal(run(scratch, 'config', ['getprop', 'letsencrypt', 'status']).stdout, 'enabled\n');
    });

    it('a flat-file write is E_DB_FULL (exit 4), one line, the file unchanged and no temp left', () => {
      const flat = { ...scratch, env: { ...scratch.env, SMECONF_BACKEND: 'flatfile' } };
      const file = join(scratch.dbDir, 'configuration');
      const before = readFileSync(file);
      const result = run(flat, 'config', ['setprop', 'letsencrypt', 'status', 'disabled']);
      assert.equal(result.status, 4, result.stderr);
      assert.match(result.stderr, /^config: cannot write database .*configuration: no space left on device \(ENOSPC\) \[E_DB_FULL\]\n$/);
      assert.deepEqual(readFileSync(file), before);
      assert.deepEqual(readdirSync(scratch.dbDir).filter((name) => name.includes('smeconf-')), []);
    });

    it('signal-event: the event log cannot be written: one warning line, the event still succeeds', () => {
      const result = run(scratch, 'signal-event', ['noop']);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, `signal-event: warning: cannot write the event log ${join(scratch.path, 'var/log/smeconf/events.log')}: no space left on device (ENOSPC)\n`);
    });
  });

  describe('read-only', () => {
    before(() => {
      // a clean store, as after a shutdown: the last connection removed its -wal and -shm
      assert.equal(run(scratch, 'config', ['get', 'DomainName']).status, 0);
      assert.deepEqual(readdirSync(scratch.dbDir).filter((name) => name.startsWith('smeconf.sqlite')), ['smeconf.sqlite']);
      remount(scratch, 'ro');
    });
    after(() => remount(scratch, 'rw'));

    it('config show and getprop work', () => {
      const show = run(scratch, 'config', ['show', 'DomainName']);
      assert.deepEqual([show.status, show.stdout, show.stderr], [0, 'DomainName=example.com\n', '']);
      assert.equal(run(scratch, 'config', ['getprop', 'letsencrypt', 'status']).stdout, 'enabled\n');
    });

    it('a write is E_DB_READONLY (exit 4), one line', () => {
      const result = run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'disabled']);
      assert.deepEqual([result.status, result.stdout, result.stderr], [4, '', `config: database ${store}: the file system is read-only [E_DB_READONLY]\n`]);
    });

    it('a store with a mode too wide is still read, with a warning that it cannot be narrowed', () => {
      remount(scratch, 'rw');
      chmodSync(store, 0o644);
      remount(scratch, 'ro');
      const show = run(scratch, 'config', ['get', 'DomainName']);
      assert.deepEqual([show.status, show.stdout], [0, 'example.com\n']);
      assert.equal(show.stderr, `config: warning: ${store} is mode 0644 (wider than 0640) and cannot be narrowed: read-only file system (EROFS)\n`);
      remount(scratch, 'rw');
      chmodSync(store, 0o640);
      remount(scratch, 'ro');
    });
  });
});
