import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { waitFor } from './helpers/processes.ts';

const T = 'etc/e-smith/templates';
const stamp = (scratch: Scratch, path: string) => {
  const s = statSync(join(scratch.path, path), { bigint: true });
  return `${s.ino}:${s.mtimeNs}`;
};
const content = (scratch: Scratch, path: string) => readFileSync(join(scratch.path, path), 'utf8');

describe('smeconf watch', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  let watcher: ChildProcess;
  let output = '';
  const targets = ['etc/one.conf', 'etc/two.conf', 'etc/three.conf'];
  // Sorts after the others, and bursts run one after another: once an edit
  // of its fragment shows in it, every burst before has finished.
  const SENTINEL = 'etc/zz-sentinel.conf';
  let sentinels = 0;

  beforeEach(async () => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443']);
    for (const target of [...targets, SENTINEL]) write(scratch, `${T}/${target}/template-begin`, '');
    write(scratch, `${T}/etc/one.conf/10`, 'one {{DomainName}}\n');
    write(scratch, `${T}/etc/two.conf/10`, 'two {{prop "modSSL" "TCPPort" "443"}}\n');
    write(scratch, `${T}/etc/three.conf/10`, 'three static\n');
    write(scratch, `${T}/${SENTINEL}/10`, 'sentinel 0\n');
    output = '';
    watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', ...[...targets, SENTINEL].map((t) => `/${t}`)], { env: scratch.env });
    watcher.stdout!.on('data', (chunk) => (output += chunk));
    watcher.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor('the watcher to be ready', () => output.includes('watching 4 targets'));
  });

  afterEach(() => {
    watcher.kill('SIGKILL');
    scratch.remove();
  });

  /** Waits for one target to hold `text`, and checks that the others were not touched. */
  async function expectOnly(path: string, text: string, before: Record<string, string>): Promise<void> {
    await waitFor(`${path} to be rewritten`, () => content(scratch, path).includes(text));
    // a wrong rewrite would come in this burst or one queued before the sentinel's: no sleep needed
    const mark = `sentinel ${++sentinels}\n`;
    write(scratch, `${T}/${SENTINEL}/10`, mark);
    await waitFor('the sentinel', () => content(scratch, SENTINEL) === mark);
    for (const other of targets.filter((t) => t !== path)) assert.equal(stamp(scratch, other), before[other], `${other} untouched`);
  }
  const stamps = () => Object.fromEntries(targets.map((t) => [t, stamp(scratch, t)]));

  it('writes the targets at start, then follows a fragment edit, a new custom fragment, metadata and a db setprop', async () => {
    assert.equal(content(scratch, 'etc/one.conf'), 'one example.com\n');
    let before = stamps();
    write(scratch, `${T}/etc/one.conf/10`, 'one edited {{DomainName}}\n');
    await expectOnly('etc/one.conf', 'one edited example.com', before);

    before = stamps();
    write(scratch, 'etc/e-smith/templates-custom/etc/two.conf/20custom', 'custom line\n');
    await expectOnly('etc/two.conf', 'custom line', before);

    before = stamps();
    write(scratch, 'etc/e-smith/templates.metadata/etc/three.conf', 'MORE_DATA={"extra": "x"}\nPERMS=0600\n');
    write(scratch, `${T}/etc/three.conf/20`, 'extra {{extra}}\n');
    await expectOnly('etc/three.conf', 'extra x', before);
    assert.equal(statSync(join(scratch.path, 'etc/three.conf')).mode & 0o777, 0o600);

    before = stamps();
    assert.equal(run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '8443']).status, 0);
    await expectOnly('etc/two.conf', 'two 8443', before);
    // the file is written before the report: wait for the report itself
    await waitFor('the report of the db change', () => /updated .*etc\/two\.conf\n[^]*-two 443\n\+two 8443\n/.test(output));
  });

  it('keeps the last good file on a broken fragment, survives, recovers; exits 0 on SIGTERM', async () => {
    const good = content(scratch, 'etc/one.conf');
    write(scratch, `${T}/etc/one.conf/10`, 'broken {{#if}}\n');
    await waitFor('the error report', () => output.includes('kept the last good'));
    assert.match(output, new RegExp(`${scratch.path}/${T}/etc/one.conf/10:\\d+:\\d+: parse error`));
    assert.equal(content(scratch, 'etc/one.conf'), good);
    write(scratch, `${T}/etc/one.conf/10`, 'fixed {{DomainName}}\n');
    await waitFor('recovery', () => content(scratch, 'etc/one.conf') === 'fixed example.com\n');
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', (code) => resolve(code)));
    watcher.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

describe('smeconf watch (flatfile)', function () {
  this.timeout(60_000);
  it('follows every setprop: the writer\'s temp and lock files, and an editor\'s backup, are not databases', async () => {
    const scratch = makeScratch('flatfile');
    let watcher: ChildProcess | undefined;
    try {
      run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443']);
      write(scratch, `${T}/etc/port.conf/10`, 'port {{modSSL.TCPPort}}\n');
      let output = '';
      watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', '/etc/port.conf'], { env: scratch.env });
      watcher.stdout!.on('data', (chunk) => (output += chunk));
      watcher.stderr!.on('data', (chunk) => (output += chunk));
      await waitFor('the watcher to be ready', () => output.includes('watching 1 target'));
      for (const port of ['8443', '9443']) {
        if (port === '9443') write(scratch, 'home/e-smith/db/configuration~', 'modSSL=service|TCPPort|1\n'); // not a database name
        assert.equal(run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', port]).status, 0);
        await waitFor(`port ${port}`, () => content(scratch, 'etc/port.conf').endsWith(`port ${port}\n`) || output.includes('kept the last good'));
      }
      assert.doesNotMatch(output, /kept the last good|invalid database name/);
    } finally {
      watcher?.kill('SIGKILL');
      scratch.remove();
    }
  });
});

describe('smeconf watch --event', function () {
  this.timeout(60_000);
  it('signals the event once per change (one transaction of fifty-one props: one event), instead of writing files', async () => {
    const scratch = makeScratch('sqlite');
    let watcher: ChildProcess | undefined;
    try {
      run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443']);
      write(scratch, `${T}/etc/port.conf/10`, 'port {{modSSL.TCPPort}}\n');
      mkdirSync(join(scratch.path, 'etc'), { recursive: true });
      const handler = join(scratch.path, 'etc/e-smith/events/port-update/S10note');
      // `config` is on the handlers' PATH: each event notes the port it saw
      write(scratch, 'etc/e-smith/events/port-update/S10note', '#!/bin/sh\necho "event $1 $(config getprop modSSL TCPPort)" >> "$SMECONF_ROOT/journal"\n');
      chmodSync(handler, 0o755);
      let output = '';
      watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', '--event', 'port-update', '/etc/port.conf'], { env: scratch.env });
      watcher.stdout!.on('data', (chunk) => (output += chunk));
      await waitFor('the watcher to be ready', () => output.includes('watching 1 target'));
      // No second write races the first (that made a burst depend on how fast
      // `config` starts): one transaction of fifty-one props, however its file
      // events fall into bursts, is one change, so one event. The second write
      // comes after that event, and its own event shows that no other came
      // between: bursts run one after another.
      const journal = () => (existsSync(join(scratch.path, 'journal')) ? readFileSync(join(scratch.path, 'journal'), 'utf8') : '');
      assert.equal(run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '8443', ...Array.from({ length: 50 }, (_, i) => [`p${i}`, 'v']).flat()]).status, 0);
      await waitFor('the first event', () => journal().includes('8443'));
      assert.equal(run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '9443']).status, 0);
      await waitFor('the second event', () => journal().includes('9443'));
      assert.equal(journal(), 'event port-update 8443\nevent port-update 9443\n');
      assert.equal(existsSync(join(scratch.path, 'etc/port.conf')), false, 'the watcher itself wrote nothing');
    } finally {
      watcher?.kill('SIGKILL');
      scratch.remove();
    }
  });
});

describe('smeconf watch --dry-run --json', function () {
  this.timeout(60_000);
  it('prints NDJSON reports and the diff it would write, and writes nothing', async () => {
    const scratch = makeScratch('sqlite');
    let watcher: ChildProcess | undefined;
    try {
      run(scratch, 'config', ['set', 'DomainName', 'example.com']);
      write(scratch, `${T}/etc/dry.conf/template-begin`, '');
      write(scratch, `${T}/etc/dry.conf/10`, 'domain {{DomainName}}\n');
      write(scratch, 'etc/dry.conf', 'domain example.com\n');
      const before = stamp(scratch, 'etc/dry.conf');
      let output = '';
      watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', '--dry-run', '--json', '/etc/dry.conf'], { env: scratch.env });
      watcher.stdout!.on('data', (chunk) => (output += chunk));
      await waitFor('the watcher to be ready', () => output.includes('"type":"ready"'));
      run(scratch, 'config', ['set', 'DomainName', 'other.org']);
      await waitFor('a whole report', () => /"would-write".*\n/.test(output));
      const reports = output.trim().split('\n').map((line) => JSON.parse(line) as { type: string; path?: string; diff?: string; targets?: number });
      assert.deepEqual(reports.map((r) => r.type), ['ready', 'would-write']);
      assert.equal(reports[0]!.targets, 1);
      assert.equal(reports[1]!.path, join(scratch.path, 'etc/dry.conf'));
      assert.match(reports[1]!.diff!, /\n-domain example\.com\n\+domain other\.org\n/);
      assert.equal(stamp(scratch, 'etc/dry.conf'), before);
    } finally {
      watcher?.kill('SIGKILL');
      scratch.remove();
    }
  });
});
