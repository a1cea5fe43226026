import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, binPath, makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

// Issue #10 items 12-13: signal-event's stdout is silent like SME's (scripts
// capture it); progress goes to stderr, live on a TTY; on a non-TTY nothing
// on success, the failing handlers and the summary on failure.

const EV = 'etc/e-smith/events';
const HANDLER_LINE = /^(S\d\d\S*) +(ok|failed|skipped) +\d+ ms(?: {2}(.*))?$/;

/** An event `show`: a handler with output, a service (not managed), optionally a failing handler. */
function scratchWithEvent(failing: boolean): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  write(scratch, `${EV}/show/S10talks`, '#!/bin/sh\necho "S10 says hello"\n', 0o755);
  if (failing) write(scratch, `${EV}/show/S20fails`, '#!/bin/sh\necho "S20 output"\nexit 3\n', 0o755);
  write(scratch, `${EV}/show/services2adjust/web`, 'graceful\n');
  run(scratch, 'config', ['set', 'web', 'service', 'status', 'enabled', 'ServiceName', 'web-unit']);
  return scratch;
}

/** Runs signal-event with stderr on a pseudo-terminal (script(1)) and stdout in a file. */
function runOnTty(scratch: Scratch, args: string[]): { status: number | null; tty: string; stdout: string } {
  const out = join(scratch.path, 'stdout.txt');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, binPath('signal-event'), ...args].map(quote).join(' ') + ` > ${quote(out)}`;
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { env: scratch.env, encoding: 'utf8' });
  return { status: result.status, tty: result.stdout.replace(/\r\n/g, '\n'), stdout: readFileSync(out, 'utf8') };
}

describe('signal-event output: stdout silent, progress on stderr', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  afterEach(() => scratch.remove());

  it('a successful event prints nothing at all when stderr is not a terminal', () => {
    scratch = scratchWithEvent(false);
    const result = run(scratch, 'signal-event', ['show']);
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
  });

  it('a failed event: stdout empty; stderr has the failing handler, its output, the summary and the error line', () => {
    scratch = scratchWithEvent(true);
    const result = run(scratch, 'signal-event', ['show']);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const s20 = join(scratch.path, EV, 'show/S20fails');
    const lines = result.stderr.replace(/ +\d+ ms/g, ' N ms').split('\n');
    assert.deepEqual(lines, [
      `S20fails${' '.repeat(24)} failed N ms`,
      '    S20 output',
      `    ${s20}: exit status 3 [E_EVT_ACTION_FAILED]`,
      'event show: 3 handlers, FAILED (S20fails), N ms',
      'signal-event: event show failed: S20fails [E_EVT_ACTION_FAILED]',
      '',
    ]);
  });

  it('on a terminal: every handler live on stderr, the service step saying what it did; stdout still empty', function () {
    if (!existsSync('/usr/bin/script')) {
      console.error('\n*** SKIPPING the terminal test: script(1) (util-linux) is not installed ***\n');
      this.skip();
    }
    scratch = scratchWithEvent(true);
    const result = runOnTty(scratch, ['show']);
    assert.equal(result.status, 1, result.tty);
    assert.equal(result.stdout, '');
    const handlers = result.tty.split('\n').map((line) => HANDLER_LINE.exec(line)).filter((m) => m !== null).map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(handlers, [
      ['S10talks', 'ok', undefined],
      ['S20fails', 'failed', undefined],
      ['S90adjust-services', 'ok', 'web-unit: start, graceful (none)'],
    ]);
    assert.match(result.tty, /\n {4}S20 output\n/);
    assert.match(result.tty, /\nevent show: 3 handlers, FAILED \(S20fails\), \d+ ms\nsignal-event: event show failed: S20fails \[E_EVT_ACTION_FAILED\]\n$/);
  });

  it('--json: start and end objects both name the handler `handler`; the service step has its note', () => {
    scratch = scratchWithEvent(false);
    const result = run(scratch, 'signal-event', ['--json', 'show']);
    assert.equal(result.status, 0, result.stderr);
    const objects = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(objects.filter((o) => o['type'] === 'start').map((o) => o['handler']), ['S10talks', 'S90adjust-services']);
    const ends = objects.filter((o) => o['type'] === 'end');
    assert.deepEqual(ends.map((o) => [o['handler'], o['status'], 'name' in o]), [['S10talks', 'ok', false], ['S90adjust-services', 'ok', false]]);
    assert.equal(ends[1]!['note'], 'web-unit: start, graceful (none)');
    assert.equal(ends[1]!['output'], 'web: start (none: not managed)\nnot managed: start web-unit\nweb: graceful (none: not managed)\nnot managed: graceful web-unit\n');
    const result0 = objects.at(-1)!;
    assert.deepEqual((result0['handlers'] as Record<string, unknown>[]).map((h) => h['handler']), ['S10talks', 'S90adjust-services']);
    assert.equal(result.stderr, '');
  });

  it('--help prints the usage on stdout and exits 0; --version prints the version', () => {
    scratch = makeScratch('sqlite');
    const help = run(scratch, 'signal-event', ['--help']);
    assert.equal(help.status, 0);
    assert.equal(help.stderr, '');
    for (const option of ['--dry-run', '--json', '--list', '--root DIR', '--help', '--version', 'SMECONF_ROOT', 'SMECONF_SERVICE_MANAGER', 'docs/events.md']) {
      assert.ok(help.stdout.includes(option), `${option} in:\n${help.stdout}`);
    }
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const shown = run(scratch, 'signal-event', ['--version']);
    assert.deepEqual([shown.status, shown.stdout, shown.stderr], [0, `smeconf ${version.version}\n`, '']);
    const wrong = run(scratch, 'signal-event', ['--bogus']);
    assert.equal(wrong.status, 2);
    assert.equal(wrong.stdout, '');
    assert.match(wrong.stderr, /^signal-event: unknown option --bogus \[E_USAGE\]\nusage: signal-event /);
  });
});
