import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO, makeScratch, run, runAsync, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

const EV = 'etc/e-smith/events';
const journalOf = (scratch: Scratch) => readFileSync(join(scratch.path, 'journal'), 'utf8').split('\n').filter(Boolean);

describe('signal-event: handlers', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    mkdirSync(join(scratch.path, 'etc'), { recursive: true });
    const note = `#!/bin/sh\necho "$(basename $0) $*" >> "$SMECONF_ROOT/journal"\n`;
    write(scratch, `${EV}/demo/S10first`, note + 'echo "S10 sees: $(tail -n 1 $SMECONF_ROOT/etc/demo.conf)" >> "$SMECONF_ROOT/journal"\n', 0o755);
    write(scratch, `${EV}/demo/S20fails`, note + 'echo "S20 output"; exit 3\n', 0o755);
    write(scratch, `${EV}/demo/S25notexec`, note, 0o644);
    write(scratch, `${EV}/demo/S30after`, note, 0o755);
    write(scratch, `${EV}/demo/Z99last`, note, 0o755);
    write(scratch, `${EV}/demo/templates2expand/etc/demo.conf`, '');
    write(scratch, `${EV}/demo/services2adjust/svc`, 'restart\n');
    write(scratch, 'etc/e-smith/templates/etc/demo.conf/template-begin', '');
    write(scratch, 'etc/e-smith/templates/etc/demo.conf/10', 'event {{EVENT}} args{{#each ARGS}} {{this}}{{/each}}\n');
    run(scratch, 'config', ['set', 'svc', 'service', 'status', 'enabled', 'ServiceManager', 'command', 'startCommand', JSON.stringify(['sh', '-c', `echo "svc started" >> "${join(scratch.path, 'journal')}"; sleep 30`])]);
  });
  afterEach(() => {
    run(scratch, 'config', ['setprop', 'svc', 'status', 'disabled']);
    run(scratch, 'signal-event', ['demo']); // stops the service
    scratch.remove();
  });

  it('runs handlers in byte order with S05 and S90, passes EVENT ARGS, skips non-executables, goes on after a failure, exits 1', () => {
    const result = run(scratch, 'signal-event', ['demo', 'one', 'two words']);
    assert.equal(result.status, 1);
    assert.deepEqual(journalOf(scratch), [
      'S10first demo one two words',
      'S10 sees: event demo args one two words',
      'S20fails demo one two words',
      'S30after demo one two words',
      'svc started',
      'Z99last demo one two words',
    ]);
    // stdout is SME's: empty. A failure shows, on stderr, the failed and skipped handlers with their output and the summary
    assert.equal(result.stdout, '');
    const s20 = join(scratch.path, EV, 'demo/S20fails');
    const s25 = join(scratch.path, EV, 'demo/S25notexec');
    assert.equal(
      result.stderr.replace(/ +\d+ ms/g, ' N ms'),
      `S20fails${' '.repeat(24)} failed N ms\n    S20 output\n    ${s20}: exit status 3 [E_EVT_ACTION_FAILED]\n` +
        `S25notexec${' '.repeat(22)} skipped N ms\n    Skipping non-executable event handler: ${s25}\n` +
        'event demo: 7 handlers, FAILED (S20fails), N ms\nsignal-event: event demo failed: S20fails [E_EVT_ACTION_FAILED]\n',
    );
    const log = readFileSync(join(scratch.path, 'var/log/smeconf/events.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(log.at(-1)?.['failed'], ['S20fails']);
    assert.equal(log.find((entry) => entry['handler'] === 'S20fails')?.['output'], `S20 output\n${s20}: exit status 3 [E_EVT_ACTION_FAILED]\n`);
  });

  it('refuses the event name actions, and names a missing event', () => {
    const actions = run(scratch, 'signal-event', ['actions']);
    assert.deepEqual([actions.status, actions.stderr], [2, "signal-event: 'actions' is not a valid event name [E_EVT_INVALID_NAME]\n"]);
    const missing = run(scratch, 'signal-event', ['nosuch']);
    assert.deepEqual([missing.status, missing.stderr], [2, `signal-event: no event nosuch (looked in ${scratch.path}/${EV}, ${REPO}events) [E_EVT_NOT_FOUND]\n`]);
    const none = run(scratch, 'signal-event', []);
    assert.equal(none.status, 2);
  });

  it('--dry-run runs nothing, writes nothing, and shows the diff and the service verbs', () => {
    const result = run(scratch, 'signal-event', ['--dry-run', 'demo', 'x']);
    assert.equal(result.status, 0);
    assert.equal(existsSync(join(scratch.path, 'journal')), false);
    assert.equal(existsSync(join(scratch.path, 'etc/demo.conf')), false);
    assert.match(result.stdout, /\n    \+event demo args x\n/);
    assert.match(result.stdout, /would run .*S10first demo x\n/);
    assert.match(result.stdout, /\n    svc: restart \(command: restart svc \(not running\)\)\n/);
    assert.match(result.stdout, /^dry run of event demo: 7 handlers, ok, \d+ ms\n$/m);
  });

  it('--json prints NDJSON progress and a final result', () => {
    const result = run(scratch, 'signal-event', ['--json', 'demo']);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; handler?: string; status?: string; ok?: boolean });
    assert.deepEqual(lines.filter((l) => l.type === 'end').map((l) => `${l.handler}:${l.status}`), [
      'S05generic_template_expand:ok',
      'S10first:ok',
      'S20fails:failed',
      'S25notexec:skipped',
      'S30after:ok',
      'S90adjust-services:ok',
      'Z99last:ok',
    ]);
    assert.equal(lines.filter((l) => l.type === 'start').length, 7);
    assert.deepEqual(lines.at(-1) && [lines.at(-1)!.type, lines.at(-1)!.ok], ['result', false]);
  });

  it('lists the events of the queue', () => {
    const result = run(scratch, 'signal-event', ['--list']);
    assert.ok(result.stdout.split('\n').includes('demo'));
  });
});

describe('signal-event: JavaScript handlers', function () {
  this.timeout(60_000);
  it('run in-process with the event context; throwing or returning false fails them', () => {
    const scratch = makeScratch('sqlite');
    try {
      write(scratch, `${EV}/js/S10ok.mjs`, "export default (ctx) => { ctx.log(`hello ${ctx.event} ${ctx.args.join(',')}`); }\n");
      write(scratch, `${EV}/js/S20false.mjs`, 'export default () => false;\n');
      write(scratch, `${EV}/js/S30throws.mjs`, "export default () => { throw new Error('kaputt'); };\n");
      write(scratch, `${EV}/js/S40db.mjs`, "export default async (ctx) => { await ctx.db('configuration').set('fromjs', 'yes'); };\n");
      const result = run(scratch, 'signal-event', ['--json', 'js', 'a', 'b']);
      assert.equal(result.status, 1);
      const ends = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; handler?: string; status?: string; output?: string }).filter((l) => l.type === 'end');
      assert.deepEqual(ends.map((e) => `${e.handler}:${e.status}`), ['S10ok.mjs:ok', 'S20false.mjs:failed', 'S30throws.mjs:failed', 'S40db.mjs:ok']);
      assert.equal(ends[0]!.output, 'hello js a,b\n');
      assert.equal(ends[1]!.output, `${join(scratch.path, EV, 'js/S20false.mjs')}: returned false [E_EVT_ACTION_FAILED]\n`);
      assert.equal(ends[2]!.output, `${join(scratch.path, EV, 'js/S30throws.mjs')}:1:30: kaputt [E_EVT_ACTION_FAILED]\n`);
      assert.equal(run(scratch, 'config', ['get', 'fromjs']).stdout, 'yes\n');
    } finally {
      scratch.remove();
    }
  });

  it("get the handlers' environment, and warn on stderr even when the event succeeds", () => {
    const scratch = makeScratch('sqlite');
    try {
      write(scratch, `${EV}/jsw/S10warn.mjs`, "export default (ctx) => { ctx.log(`root ${ctx.env.SMECONF_ROOT}`); ctx.warn('warning: look'); };\n");
      const result = run(scratch, 'signal-event', ['jsw']);
      assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', 'signal-event: warning: look\n']);
      const json = run(scratch, 'signal-event', ['--json', 'jsw']);
      const end = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; output?: string }).find((l) => l.type === 'end');
      assert.equal(end?.output, `root ${scratch.path}\n`);
    } finally {
      scratch.remove();
    }
  });
});

describe('signal-event: the expand step is one transaction', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  const targets = ['a', 'b', 'c', 'd', 'e'].map((n) => `/etc/five/${n}.conf`);
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    for (const path of targets) {
      write(scratch, `${EV}/five/templates2expand${path}`, '');
      write(scratch, `etc/e-smith/templates${path}/template-begin`, '');
      write(scratch, `etc/e-smith/templates${path}/10`, `new ${path} for {{DomainName}}\n`);
      write(scratch, path, 'old\n');
    }
  });
  afterEach(() => scratch.remove());
  const contents = () => targets.map((path) => readFileSync(join(scratch.path, path), 'utf8'));

  it('one broken template of five: none of the five written', () => {
    write(scratch, 'etc/e-smith/templates/etc/five/c.conf/20', 'oops {{#if}}\n');
    const result = run(scratch, 'signal-event', ['five']);
    assert.equal(result.status, 1);
    assert.deepEqual(contents(), ['old\n', 'old\n', 'old\n', 'old\n', 'old\n']);
    assert.match(result.stderr, new RegExp(`${scratch.path}/etc/e-smith/templates/etc/five/c.conf/20:2:1: parse error`));
    assert.match(result.stderr, /nothing written: 1 of 5 templates failed\nevent five: 1 handler, FAILED \(S05generic_template_expand\), \d+ ms\nsignal-event: event five failed: S05generic_template_expand \[E_EVT_ACTION_FAILED\]\n$/);
  });

  it('a failing check command: nothing swapped, the check output shown', () => {
    write(scratch, 'etc/e-smith/templates.metadata/etc/five/d.conf', 'CHECK=["sh", "-c", "echo syntax error in $1; exit 1", "check", "{}"]\n');
    const result = run(scratch, 'signal-event', ['five']);
    assert.equal(result.status, 1);
    assert.deepEqual(contents(), ['old\n', 'old\n', 'old\n', 'old\n', 'old\n']);
    assert.match(result.stderr, /syntax error in .*\/\.d\.conf\.smeconf-\d+-[0-9a-f]{16}\n/);
    assert.match(result.stderr, /check of .*d\.conf failed \(sh -c .*\): nothing written/);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc/five')).sort(), ['a.conf', 'b.conf', 'c.conf', 'd.conf', 'e.conf'], 'no staged file left');
  });

  it('all good: every file written, the check passing; unchanged files untouched on the next run', () => {
    write(scratch, 'etc/e-smith/templates.metadata/etc/five/d.conf', 'CHECK=["grep", "-q", "new", "{}"]\n');
    assert.equal(run(scratch, 'signal-event', ['five']).status, 0);
    assert.deepEqual(contents(), targets.map((path) => `new ${path} for example.com\n`));
    const before = targets.map((path) => statSync(join(scratch.path, path), { bigint: true }).mtimeNs);
    assert.equal(run(scratch, 'signal-event', ['five']).status, 0);
    assert.deepEqual(targets.map((path) => statSync(join(scratch.path, path), { bigint: true }).mtimeNs), before);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function fetchJson(port: number): Promise<{ pid: number; reloads: number; note: string } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return (await response.json()) as { pid: number; reloads: number; note: string };
  } catch {
    return undefined;
  }
}

/** Polls until the check passes (bounded), for effects of a process we started. */
async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 800; i++) {
    const value = await probe();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('signal-event: services with the command manager', function () {
  this.timeout(60_000);
  const NASTY = '$(touch PWNED); rm -rf / ; `id` | cat > x && echo "hi" \'q\'';
  let scratch: Scratch;
  let port: number;
  beforeEach(async () => {
    scratch = makeScratch('sqlite');
    port = await freePort();
    const journal = join(scratch.path, 'journal');
    run(scratch, 'config', ['set', 'web', 'service', 'status', 'enabled', 'ServiceManager', 'command', 'startCommand', JSON.stringify([process.execPath, join(REPO, 'test/fixtures/http-service.mjs'), String(port), NASTY, journal])]);
    for (const verb of ['restart', 'reload']) write(scratch, `${EV}/web-${verb}/services2adjust/web`, `${verb}\n`);
  });
  afterEach(() => {
    run(scratch, 'config', ['setprop', 'web', 'status', 'disabled']);
    run(scratch, 'signal-event', ['web-restart']);
    scratch.remove();
  });

  it('starts, restarts, reloads and stops a real daemon; the database value stays data', async () => {
    assert.equal(run(scratch, 'signal-event', ['web-reload']).status, 0); // not running: started
    const first = await eventually(() => fetchJson(port), (v) => v !== undefined, 'the service to answer');
    assert.equal(first!.note, NASTY);
    assert.equal(existsSync(join(scratch.path, 'PWNED')), false);

    assert.equal(run(scratch, 'signal-event', ['web-reload']).status, 0);
    const reloaded = await eventually(() => fetchJson(port), (v) => v?.reloads === 1, 'a reload');
    assert.equal(reloaded!.pid, first!.pid);

    assert.equal(run(scratch, 'signal-event', ['web-restart']).status, 0);
    const restarted = await eventually(() => fetchJson(port), (v) => v !== undefined && v.pid !== first!.pid, 'a new process');
    assert.equal(restarted!.reloads, 0);
    assert.deepEqual(journalOf(scratch).map((line) => line.split(' ')[0]), ['started', 'stopped', 'started'], 'adjusted once per event');

    run(scratch, 'config', ['setprop', 'web', 'status', 'disabled']);
    assert.equal(run(scratch, 'signal-event', ['web-restart']).status, 0);
    await eventually(() => fetchJson(port), (v) => v === undefined, 'the service to stop');
    assert.equal(journalOf(scratch).at(-1), `stopped ${restarted!.pid}`);
  });
});

describe('signal-event: two runs at once', function () {
  this.timeout(60_000);
  it('are serialised, never interleaved', async () => {
    const scratch = makeScratch('sqlite');
    try {
      // The first run to begin holds on until the other is seen queued on the
      // event lock (/proc/locks) or, were there no lock, has begun: the two
      // always overlap, however the machine schedules them (no sleep).
      const handler = [
        '#!/bin/sh',
        'J="$SMECONF_ROOT/journal"',
        'echo "begin $1 $2" >> "$J"',
        'if [ "$(grep -c begin "$J")" = 1 ]; then',
        '  ino=$(stat -c %i "$SMECONF_ROOT/var/lock/smeconf/signal-event.lock")',
        '  i=0',
        '  until grep -q -- "-> FLOCK .*:$ino " /proc/locks || [ "$(grep -c begin "$J")" -gt 1 ] || [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done',
        'fi',
        'echo "end $1 $2" >> "$J"',
      ];
      write(scratch, `${EV}/slow/S10slow`, handler.join('\n') + '\n', 0o755);
      const results = await Promise.all([runAsync(scratch, 'signal-event', ['slow', 'A']), runAsync(scratch, 'signal-event', ['slow', 'B'])]);
      assert.deepEqual(results.map((r) => r.status), [0, 0]);
      const journal = journalOf(scratch);
      assert.equal(journal.length, 4);
      assert.equal(journal[0]!.replace('begin', 'end'), journal[1]);
      assert.equal(journal[2]!.replace('begin', 'end'), journal[3]);
    } finally {
      scratch.remove();
    }
  });
});

