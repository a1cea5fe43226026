import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dbMain } from '../../src/db/main.ts';
import { expandMain } from '../../src/expand/main.ts';
import { STOCK_DIR, captureIo, makeTempRoot } from '../helpers/io.ts';
import type { TempRoot } from '../helpers/io.ts';

// expandMain in-process (no spawn): test/templates-*.test.ts and test/expand-check.test.ts run the bin

describe('expandMain', () => {
  let root: TempRoot;
  beforeEach(async () => {
    root = makeTempRoot();
    const io = captureIo();
    assert.equal(await dbMain(['configuration', 'set', 'DomainName', 'example.org'], io, { env: { SMECONF_ROOT: root.path }, stockDir: STOCK_DIR }), 0);
    fragment('etc/greeting', 'Hello {{DomainName}}\n');
  });
  afterEach(() => root.remove());

  function fragment(path: string, text: string, layer = 'templates-custom'): void {
    const file = join(root.path, 'etc/e-smith', layer, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const output = (path: string) => readFileSync(join(root.path, path), 'utf8');

  async function expand(argv: string[]) {
    const io = captureIo();
    const status = await expandMain(argv, io, { env: { SMECONF_ROOT: root.path }, stockDir: STOCK_DIR });
    return { status, stdout: io.stdout, stderr: io.stderr };
  }

  it('writes a target from its fragments, silently', async () => {
    assert.deepEqual(await expand(['/etc/greeting']), { status: 0, stdout: '', stderr: '' });
    assert.equal(output('etc/greeting'), 'Hello example.org\n');
  });

  it('--output_filename writes elsewhere under the root', async () => {
    assert.equal((await expand(['--output_filename', '/etc/other', '/etc/greeting'])).status, 0);
    assert.equal(output('etc/other'), 'Hello example.org\n');
    assert.equal(existsSync(join(root.path, 'etc/greeting')), false);
  });

  it('--dry-run says what would change and writes nothing; --json says it as JSON', async () => {
    assert.deepEqual(await expand(['--dry-run', '/etc/greeting']), { status: 0, stdout: `would create ${root.path}/etc/greeting\n`, stderr: '' });
    const json = await expand(['--dry-run', '--json', '/etc/greeting']);
    assert.deepEqual(JSON.parse(json.stdout), { path: `${root.path}/etc/greeting`, status: 'would create' });
    assert.equal(existsSync(join(root.path, 'etc/greeting')), false);
  });

  it('--diff shows the change; an unchanged target says unchanged', async () => {
    await expand(['/etc/greeting']);
    fragment('etc/greeting', 'Bye {{DomainName}}\n');
    const diff = await expand(['--diff', '--dry-run', '/etc/greeting']);
    assert.equal(diff.status, 0);
    assert.equal(diff.stdout.split('\n')[0], `would update ${root.path}/etc/greeting`);
    assert.match(diff.stdout, /\n-Hello example.org\n\+Bye example.org\n/);
    assert.equal(output('etc/greeting'), 'Hello example.org\n');
    await expand(['/etc/greeting']);
    assert.deepEqual(await expand(['--dry-run', '/etc/greeting']), { status: 0, stdout: `unchanged ${root.path}/etc/greeting\n`, stderr: '' });
  });

  it('--stdout prints the result and writes nothing', async () => {
    assert.deepEqual(await expand(['--stdout', '/etc/greeting']), { status: 0, stdout: 'Hello example.org\n', stderr: '' });
    assert.equal(existsSync(join(root.path, 'etc/greeting')), false);
  });

  it('a target without fragments: E_TPL_NO_FRAGMENTS, exit 5', async () => {
    const result = await expand(['/etc/nothing']);
    assert.equal(result.status, 5);
    assert.match(result.stderr, /^expand-template: .*\[E_TPL_NO_FRAGMENTS\]\n$/);
  });

  it('a render error fails that target only, writing nothing for it; the first failure is the exit status', async () => {
    fragment('etc/broken', 'Port {{NoSuchKey}}\n');
    const result = await expand(['/etc/broken', '/etc/greeting']);
    assert.equal(result.status, 5);
    assert.match(result.stderr, /\[E_TPL_RENDER\]\n$/);
    assert.equal(existsSync(join(root.path, 'etc/broken')), false);
    assert.equal(output('etc/greeting'), 'Hello example.org\n');
  });

  it('a failing CHECK keeps the old file: E_TPL_CHECK, exit 5', async () => {
    await expand(['/etc/greeting']);
    fragment('etc/greeting', 'Bye\n');
    fragment('etc/greeting', 'CHECK=["sh", "-c", "echo refused >&2; exit 1"]\n', 'templates.metadata');
    const result = await expand(['/etc/greeting']);
    assert.equal(result.status, 5);
    assert.match(result.stderr, /\[E_TPL_CHECK\]\n$/);
    assert.equal(output('etc/greeting'), 'Hello example.org\n');
  });

  it('no path: a usage error, exit 2', async () => {
    const result = await expand([]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /E_USAGE/);
  });

  it('a mistyped root: E_ROOT_MISSING, exit 2', async () => {
    const result = await expand(['--root', join(root.path, 'typo'), '/etc/greeting']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^expand-template: no SME root at .*typo: no such directory .*\[E_ROOT_MISSING\]\n$/);
  });
});
