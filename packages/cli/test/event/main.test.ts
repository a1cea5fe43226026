import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventMain } from '../../src/event/main.ts';
import { STOCK_DIR, captureIo, makeTempRoot } from '../helpers/io.ts';
import type { TempRoot } from '../helpers/io.ts';

// eventMain in-process (no spawn), the main and error paths: arguments.test.ts has the parser's
// rules, test/events*.test.ts run the bin

describe('eventMain', () => {
  let root: TempRoot;
  beforeEach(() => {
    root = makeTempRoot();
    handler('S10record', 'printf "%s\\n" "$@" > "$SMECONF_ROOT/ran"\n');
  });
  afterEach(() => root.remove());

  function handler(name: string, script: string, event = 'smeconf-test'): void {
    const dir = join(root.path, 'etc/e-smith/events', event);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), `#!/bin/sh\n${script}`, { mode: 0o755 });
  }
  const ran = () => join(root.path, 'ran');

  async function signal(argv: string[]) {
    const io = captureIo();
    const env = { SMECONF_ROOT: root.path, SMECONF_SERVICE_MANAGER: 'none', PATH: process.env['PATH'] };
    const status = await eventMain(argv, io, { env, stockDir: STOCK_DIR });
    return { status, stdout: io.stdout, stderr: io.stderr };
  }

  it('runs the handlers with the event and its arguments, silently', async () => {
    assert.deepEqual(await signal(['smeconf-test', 'a b', 'c']), { status: 0, stdout: '', stderr: '' });
    assert.equal(readFileSync(ran(), 'utf8'), 'smeconf-test\na b\nc\n');
  });

  it('the event lock file stays after the event (only signal-event takes it), unlocked', async () => {
    assert.equal((await signal(['smeconf-test'])).status, 0);
    const lock = join(root.path, 'var/lock/smeconf/signal-event.lock');
    assert.equal(existsSync(lock), true);
    assert.equal(spawnSync('flock', ['-n', lock, 'true']).status, 0);
    assert.equal((await signal(['smeconf-test'])).status, 0);
  });

  it('--dry-run runs nothing', async () => {
    const result = await signal(['--dry-run', 'smeconf-test']);
    assert.equal(result.status, 0);
    assert.equal(existsSync(ran()), false);
  });

  it('--json: one object per handler, then the result', async () => {
    const result = await signal(['--json', 'smeconf-test']);
    assert.equal(result.status, 0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type?: string; ok?: boolean; handler?: string });
    assert.ok(lines.some((line) => line.handler === 'S10record'));
    assert.deepEqual([lines.at(-1)?.type, lines.at(-1)?.ok], ['result', true]);
  });

  it('a failing handler: its output, then one coded line, exit 1; later handlers still run', async () => {
    handler('S05fail', 'echo "it broke" >&2\nexit 3\n');
    const result = await signal(['smeconf-test']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /it broke/);
    assert.match(result.stderr, /\nsignal-event: event smeconf-test failed: S05fail \[E_EVT_ACTION_FAILED\]\n$/);
    assert.equal(existsSync(ran()), true);
  });

  it('--list names the events, custom and stock', async () => {
    const result = await signal(['--list']);
    assert.equal(result.status, 0);
    const names = result.stdout.split('\n');
    assert.ok(names.includes('smeconf-test'));
    assert.ok(names.includes('console-save'));
  });

  it('an unknown event: E_EVT_NOT_FOUND, exit 2', async () => {
    const result = await signal(['no-such-event']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^signal-event: .*no-such-event.* \[E_EVT_NOT_FOUND\]\n$/);
  });

  it('usage errors (no event, an unknown option): a coded line, exit 2, nothing run', async () => {
    for (const argv of [[], ['--frobnicate', 'smeconf-test']]) {
      const result = await signal(argv);
      assert.equal(result.status, 2, argv.join(' '));
      assert.match(result.stderr, /^signal-event: .* \[E_USAGE\]\n/);
      assert.equal(existsSync(ran()), false);
    }
  });

  it('a mistyped root: E_ROOT_MISSING, exit 2', async () => {
    const result = await signal(['--root', join(root.path, 'typo'), 'smeconf-test']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^signal-event: no SME root at .*typo: no such directory .*\[E_ROOT_MISSING\]\n$/);
  });

  it('--help and --version on stdout, exit 0', async () => {
    const help = await signal(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /signal-event.*--dry-run/s);
    assert.deepEqual(await signal(['--version']), { status: 0, stdout: 'smeconf 0.1.0\n', stderr: '' });
  });
});
