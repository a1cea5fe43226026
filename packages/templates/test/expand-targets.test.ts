import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { confineOutput, expandTargets, failureLines } from '../src/index.ts';
import type { ExpandTargetsOptions } from '../src/index.ts';

/** The pipeline every writer uses (expand-template, events, watch), on a scratch root without a database. */
describe('expandTargets', () => {
  let dir: TempDir;
  let root: string;
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    dir = makeTempDir();
    root = join(dir.path, 'root');
    for (const name of ['a', 'b']) put(`t/etc/${name}.conf/10`, `new ${name}\n`);
    put('etc/a.conf', 'old a\n');
    put('etc/b.conf', 'old b\n');
  });
  afterEach(() => dir.remove());
  const options = (more: Partial<ExpandTargetsOptions> = {}): ExpandTargetsOptions => ({
    root,
    queue: { templateDirs: [join(root, 't')], metadataDirs: [join(root, 'm')], defaultDirs: [] },
    loadDb: () => Promise.resolve(new Map()),
    warn: () => {},
    mode: 'write',
    checkEnv: { PATH: process.env['PATH'] },
    ...more,
  });
  const contents = () => ['a', 'b'].map((name) => readFileSync(join(root, `etc/${name}.conf`), 'utf8'));

  it('all or nothing: reads that cannot be recorded leave every target as it was, and no staged file', async () => {
    const saveReads = (path: string) => (path === '/etc/b.conf' ? Promise.reject(new Error('read-only database')) : Promise.resolve());
    const outcomes = await expandTargets(['/etc/a.conf', '/etc/b.conf'], options({ allOrNothing: true, saveReads }));
    assert.deepEqual(contents(), ['old a\n', 'old b\n']);
    assert.deepEqual(outcomes.map((o) => o.done), [false, false]);
    assert.deepEqual(failureLines(outcomes[1]!.failure!), ['internal error: read-only database [E_INTERNAL]']);
    assert.deepEqual(readdirSync(join(root, 'etc')).sort(), ['a.conf', 'b.conf']);
  });

  it('each on its own: a failing CHECK keeps its target, the other is written; the check sees the staged file', async () => {
    put('m/etc/b.conf', 'CHECK=["sh", "-c", "cat \\"$1\\"; exit 1", "check", "{}"]\n');
    const outcomes = await expandTargets(['/etc/a.conf', '/etc/b.conf'], options());
    assert.deepEqual(contents(), ['new a\n', 'old b\n']);
    assert.deepEqual(failureLines(outcomes[1]!.failure!), ['new b', `check of ${join(root, 'etc/b.conf')} failed (sh -c cat "$1"; exit 1 check {}): nothing written [E_TPL_CHECK]`]);
  });

  it('an unchanged target is checked in place; a dry run checks a staged copy and leaves nothing', async () => {
    put('etc/a.conf', 'new a\n');
    put('m/etc/a.conf', 'CHECK=["grep", "-q", "new"]\n');
    const [unchanged] = await expandTargets(['/etc/a.conf'], options());
    assert.deepEqual([unchanged!.plan?.action, unchanged!.check?.ok, unchanged!.done], ['unchanged', true, true]);
    put('m/etc/b.conf', 'CHECK=["grep", "-q", "new"]\n');
    const [dry] = await expandTargets(['/etc/b.conf'], options({ mode: 'dry-run' }));
    assert.deepEqual([dry!.plan?.action, dry!.check?.ok, dry!.done], ['update', true, false]);
    assert.deepEqual(contents(), ['new a\n', 'old b\n']);
    assert.deepEqual(readdirSync(join(root, 'etc')).sort(), ['a.conf', 'b.conf']);
  });

  it('the check of the file in place starts before the render, and runs again if the file changed meanwhile', async () => {
    // the CHECK counts its runs; the fragment writes the file in place (same text, a new mtime) during the render when told to
    put('m/etc/a.conf', `CHECK=["sh", "-c", "echo . >> ${join(root, 'checks')}; grep -q new \\"$1\\"", "check", "{}"]\n`);
    put('etc/a.conf', 'new a\n');
    put('t/etc/a.conf/10', '');
    put('t/etc/a.conf/10.mjs', `import { existsSync, writeFileSync } from 'node:fs';\nexport default () => {\n  if (existsSync(${JSON.stringify(join(root, 'touch'))})) writeFileSync(${JSON.stringify(join(root, 'etc/a.conf'))}, 'new a\\n');\n  return 'new a\\n';\n};\n`);
    const checks = () => readFileSync(join(root, 'checks'), 'utf8').length / 2;
    const [untouched] = await expandTargets(['/etc/a.conf'], options());
    assert.deepEqual([untouched!.plan?.action, untouched!.check?.ok, checks()], ['unchanged', true, 1]);
    put('touch', '');
    const [touched] = await expandTargets(['/etc/a.conf'], options());
    assert.deepEqual([touched!.plan?.action, touched!.check?.ok, checks()], ['unchanged', true, 3], 'checked before the render, and again after it');
    rmSync(join(root, 'touch'));
    put('etc/a.conf', 'old a\n');
    const [updated] = await expandTargets(['/etc/a.conf'], options());
    assert.deepEqual([updated!.plan?.action, updated!.check?.ok, updated!.done], ['update', true, true], 'the staged file is checked: the old one would fail');
  });

  it('confines outputs to the root: .. and symlinked directories are refused, plain paths pass', () => {
    mkdirSync(join(dir.path, 'outside'));
    symlinkSync(join(dir.path, 'outside'), join(root, 'etc/out'));
    assert.equal(confineOutput(root, '/etc/x.conf'), join(root, 'etc/x.conf'));
    assert.equal(confineOutput(root, '/etc/new/dir/x.conf'), join(root, 'etc/new/dir/x.conf'), 'a missing directory is for planWrite to report');
    assert.throws(() => confineOutput(root, '/../outside/x'), { code: 'E_TPL_PATH' });
    assert.throws(() => confineOutput(root, '/etc/out/x'), { code: 'E_TPL_PATH', message: /resolves outside the root/ });
    assert.throws(() => confineOutput(root, '/etc/out/deeper/x'), { code: 'E_TPL_PATH' });
    assert.equal(existsSync(join(dir.path, 'outside/x')), false);
  });
});
