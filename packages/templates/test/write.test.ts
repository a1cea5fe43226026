import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { applyWrite, planDiff, planWrite } from '../src/index.ts';

/** A pid no process has: that of a child that has already exited. */
function deadPid(): number {
  const pid = spawnSync('true').pid;
  assert.ok(pid !== undefined && pid > 0);
  return pid;
}

describe('writing a target safely', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let etc: string;
  let victim: string;
  beforeEach(() => {
    dir = makeTempDir();
    etc = join(dir.path, 'etc');
    mkdirSync(etc);
    victim = join(dir.path, 'victim');
    writeFileSync(victim, 'secret victim text\n', { mode: 0o600 });
  });
  afterEach(() => dir.remove());
  const write = (name: string, content: string) => applyWrite(planWrite(join(etc, name), content, {}), () => {});

  it('does not follow a symlink planted at the staging name', () => {
    symlinkSync(victim, join(etc, `.hosts.smeconf-${process.pid}`));
    write('hosts', 'generated\n');
    assert.equal(readFileSync(victim, 'utf8'), 'secret victim text\n');
    assert.equal(statSync(victim).mode & 0o7777, 0o600);
    assert.equal(readFileSync(join(etc, 'hosts'), 'utf8'), 'generated\n');
  });

  it('replaces a target that is a symlink by a regular file, never reading or touching the link target', () => {
    const target = join(etc, 'hosts');
    symlinkSync(victim, target);
    const plan = planWrite(target, 'generated\n', {});
    assert.equal(plan.current, null);
    assert.equal(plan.action, 'update');
    assert.match(plan.note ?? '', /symbolic link/);
    const diff = planDiff(plan);
    assert.doesNotMatch(diff, /secret victim/);
    assert.match(diff, /symbolic link/);
    applyWrite(plan, () => {});
    assert.equal(readFileSync(victim, 'utf8'), 'secret victim text\n');
    assert.equal(statSync(victim).mode & 0o7777, 0o600);
    assert.ok(lstatSync(target).isFile());
    assert.equal(readFileSync(target, 'utf8'), 'generated\n');
    assert.equal(statSync(target).mode & 0o7777, 0o644, 'the default mode, not the link target\'s');
  });

  it('removes stale temps of dead processes in the target directory, and nothing else', () => {
    const dead = deadPid();
    const stale = [`.hosts.smeconf-${dead}-0123456789abcdef`, `.run.sh.smeconf-${dead}-fedcba9876543210`, `.old.smeconf-${dead}`];
    for (const name of stale) writeFileSync(join(etc, name), 'partial', { mode: 0o755 });
    const kept = [
      `.hosts.smeconf-${process.pid}-0123456789abcdef`, // a live process's
      `.hosts.smeconf-${dead}-nothex`, // not our pattern
      `hosts.smeconf-${dead}-0123456789abcdef`, // no leading dot
      `.dir.smeconf-${dead}-0123456789abcdef`, // a directory
      `.link.smeconf-${dead}-0123456789abcdef`, // a symlink
    ];
    for (const name of kept.slice(0, 3)) writeFileSync(join(etc, name), 'x');
    mkdirSync(join(etc, kept[3]!));
    symlinkSync(victim, join(etc, kept[4]!));
    write('hosts', 'generated\n');
    assert.deepEqual(readdirSync(etc).sort(), [...kept, 'hosts'].sort());
    assert.equal(readFileSync(victim, 'utf8'), 'secret victim text\n');
  });

  it('leaves no temp file behind after a write', () => {
    write('hosts', 'one\n');
    write('hosts', 'two\n');
    assert.deepEqual(readdirSync(etc), ['hosts']);
  });
});

describe('the ownership warning of a non-root run', function () {
  this.timeout(30_000);
  // As root, a child process as nobody (chown to another uid is then refused).
  const script = `import { applyWrite, planWrite } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).pathname)};
const [dir] = process.argv.slice(-1);
const sinks = [[], []].map((told) => ({ told, warn: (m) => told.push(m) }));
for (const [i, name] of [[0, 'a'], [0, 'b'], [1, 'c']]) applyWrite(planWrite(dir + '/' + name, 'x\\n', { uid: 4242, gid: 4242 }), sinks[i].warn);
console.log(JSON.stringify(sinks.map((s) => s.told.map((m) => m.replace(dir, 'DIR')))));`;

  it('is given once to each warn sink (a run), not once a process', () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'run.mjs');
      writeFileSync(file, script);
      const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      if (asNobody.length > 0) spawnSync('chown', ['-R', '65534:65534', dir.path]);
      const argv = [...asNobody, process.execPath, '--import', 'tsx', '--conditions=source', file, dir.path];
      const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: join(import.meta.dirname, '..') });
      assert.equal(result.stderr, '');
      const wanted = (name: string) => [`not running as root: files keep their owner (wanted 4242:4242 for DIR/${name})`];
      assert.deepEqual(JSON.parse(result.stdout), [wanted('a'), wanted('c')]);
    } finally {
      dir.remove();
    }
  });
});
