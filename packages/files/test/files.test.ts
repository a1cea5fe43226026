import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMP_NAME, inspectPath, openExclusive, removeStaleTemps, stageFile, tempPathFor, writeFileAtomic } from '../src/index.ts';

describe('@smeconf/files', () => {
  let dir: { path: string; remove: () => void };
  let victim: string;
  beforeEach(() => {
    const path = mkdtempSync(join(tmpdir(), 'smeconf-files-'));
    dir = { path, remove: () => rmSync(path, { recursive: true, force: true }) };
    victim = join(dir.path, 'victim');
    writeFileSync(victim, 'victim\n');
  });
  afterEach(() => dir.remove());

  it('names temps .NAME.smeconf-<pid>-<16 hex>, different every time', () => {
    const a = tempPathFor(join(dir.path, 'hosts'));
    assert.match(a, new RegExp(`/\\.hosts\\.smeconf-${process.pid}-[0-9a-f]{16}$`));
    assert.notEqual(a, tempPathFor(join(dir.path, 'hosts')));
    assert.ok(TEMP_NAME.test(a.slice(dir.path.length + 1)));
  });

  it('openExclusive fails on a symlink (even a dangling one) and on a file', () => {
    symlinkSync(victim, join(dir.path, 'link'));
    symlinkSync(join(dir.path, 'nowhere'), join(dir.path, 'dangling'));
    for (const name of ['link', 'dangling', 'victim']) assert.throws(() => openExclusive(join(dir.path, name)), { code: 'EEXIST' });
    assert.equal(readFileSync(victim, 'utf8'), 'victim\n');
    assert.ok(!existsSync(join(dir.path, 'nowhere')));
  });

  it('writeFileAtomic: exact mode whatever the umask, nothing left when commit() says no', () => {
    const target = join(dir.path, 'out');
    assert.equal(writeFileAtomic(target, 'one\n', { mode: 0o664 }), true);
    assert.equal(statSync(target).mode & 0o7777, 0o664);
    assert.equal(writeFileAtomic(target, 'two\n', { mode: 0o600, commit: () => false }), false);
    assert.equal(readFileSync(target, 'utf8'), 'one\n');
    assert.deepEqual(readdirSync(dir.path).sort(), ['out', 'victim']);
  });

  it('stageFile removes stale temps of dead processes before writing', () => {
    const dead = spawnSync('true').pid;
    writeFileSync(join(dir.path, `.x.smeconf-${dead}-0123456789abcdef`), '');
    const temp = stageFile(join(dir.path, 'x'), 'new', { mode: 0o644 });
    assert.deepEqual(readdirSync(dir.path).sort(), [temp.slice(dir.path.length + 1), 'victim'].sort());
    assert.deepEqual(removeStaleTemps(dir.path), [], 'our own live temp is kept');
  });

  it('counts a killed but unreaped writer (a zombie) as gone', async function () {
    // a forked child that exits at once, under a parent that never reaps it
    const parent = spawn('perl', ['-e', '$| = 1; my $pid = fork; if ($pid) { print "$pid\\n"; sleep 60 } else { exit 0 }'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(String(chunk)))));
      const state = () => readFileSync(`/proc/${zombie}/stat`, 'latin1').replace(/^.*\) /s, '')[0];
      for (let i = 0; i < 500 && state() !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 10)); // bounded wait for a state
      if (state() !== 'Z') this.skip();
      writeFileSync(join(dir.path, `.x.smeconf-${zombie}-0123456789abcdef`), '');
      assert.deepEqual(removeStaleTemps(dir.path), [`.x.smeconf-${zombie}-0123456789abcdef`]);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('inspectPath tells what is there and reads only regular files', () => {
    symlinkSync(victim, join(dir.path, 'link'));
    mkdirSync(join(dir.path, 'sub'));
    assert.equal(spawnSync('mkfifo', [join(dir.path, 'fifo')]).status, 0);
    assert.equal(inspectPath(join(dir.path, 'link')).kind, 'symlink');
    assert.equal(inspectPath(join(dir.path, 'sub')).kind, 'directory');
    assert.equal(inspectPath(join(dir.path, 'fifo')).kind, 'special');
    assert.equal(inspectPath(join(dir.path, 'none')).kind, 'absent');
    const file = inspectPath(victim);
    assert.equal(file.kind === 'file' && file.text, 'victim\n');
  });
});
