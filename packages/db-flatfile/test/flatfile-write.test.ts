import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRecord } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import { FlatFileBackend, writeFlatFile } from '../src/index.ts';

describe('flat-file writes and temp files', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let victim: string;
  beforeEach(() => {
    dir = makeTempDir();
    victim = join(dir.path, 'victim');
    writeFileSync(victim, 'victim text\n', { mode: 0o600 });
  });
  afterEach(() => dir.remove());
  const file = () => join(dir.path, 'configuration');
  const set = (key: string) => new FlatFileBackend({ dir: dir.path }).apply('configuration', [{ op: 'set', key, record: makeRecord('t') }]);

  it('does not follow a symlink planted at the temp name SME uses (<file>.<pid>)', async () => {
    symlinkSync(victim, `${file()}.${process.pid}`);
    await set('k');
    assert.equal(readFileSync(victim, 'utf8'), 'victim text\n');
    assert.match(readFileSync(file(), 'utf8'), /^k=t$/m);
  });

  it('replaces a database file that is a symlink instead of writing through it', () => {
    symlinkSync(victim, file());
    writeFlatFile(file(), 'k=t\n');
    assert.equal(readFileSync(victim, 'utf8'), 'victim text\n');
    assert.ok(lstatSync(file()).isFile());
    assert.equal(statSync(file()).mode & 0o7777, 0o640);
  });

  it('keeps the owner and group of the file it replaces (SME: root:admin)', function () {
    if (process.getuid?.() !== 0) this.skip();
    writeFileSync(file(), 'k=t\n');
    chownSync(file(), 0, 4242);
    writeFlatFile(file(), 'k=u\n');
    assert.equal(statSync(file()).gid, 4242);
  });

  it('removes a stale temp of a dead writer, leaving only the database and its lock file', async () => {
    const dead = spawnSync('true').pid;
    writeFileSync(join(dir.path, `.configuration.smeconf-${dead}-0123456789abcdef`), 'partial');
    await set('k');
    assert.deepEqual(readdirSync(dir.path).sort(), ['configuration', 'configuration.lock', 'victim']);
  });
});

describe('the flat-file lock file', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('is never opened through a symlink: a dangling link at <file>.lock creates nothing', async () => {
    const victim = join(dir.path, 'nologin');
    symlinkSync(victim, join(dir.path, 'configuration.lock'));
    const backend = new FlatFileBackend({ dir: dir.path });
    await assert.rejects(backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('t') }]), { code: 'E_DB_IO', message: /symbolic link/ });
    assert.ok(!existsSync(victim));
  });
});
