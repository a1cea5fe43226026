import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { binPath, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { waitFor } from './helpers/processes.ts';

function write(scratch: Scratch, path: string, text: string): void {
  const full = join(scratch.path, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

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

  beforeEach(async () => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443']);
    for (const target of targets) write(scratch, `${T}/${target}/template-begin`, '');
    write(scratch, `${T}/etc/one.conf/10`, 'one {{DomainName}}\n');
    write(scratch, `${T}/etc/two.conf/10`, 'two {{prop "modSSL" "TCPPort" "443"}}\n');
    write(scratch, `${T}/etc/three.conf/10`, 'three static\n');
    output = '';
    watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', ...targets.map((t) => `/${t}`)], { env: scratch.env });
    watcher.stdout!.on('data', (chunk) => (output += chunk));
    watcher.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor('the watcher to be ready', () => output.includes('watching 3 targets'));
  });

  afterEach(() => {
    watcher.kill('SIGKILL');
    scratch.remove();
  });

  /** Waits for one target to hold `text`, and checks that the others were not touched. */
  async function expectOnly(path: string, text: string, before: Record<string, string>): Promise<void> {
    await waitFor(`${path} to be rewritten`, () => content(scratch, path).includes(text));
    await new Promise((resolve) => setTimeout(resolve, 300)); // give a wrong rewrite the chance to show up
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
    assert.match(output, /updated .*etc\/two\.conf\n[^]*-two 443\n\+two 8443\n/);
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

describe('smeconf watch --event', function () {
  this.timeout(60_000);
  it('signals the event once per burst instead of writing files', async () => {
    const scratch = makeScratch('sqlite');
    let watcher: ChildProcess | undefined;
    try {
      run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443']);
      write(scratch, `${T}/etc/port.conf/10`, 'port {{modSSL.TCPPort}}\n');
      mkdirSync(join(scratch.path, 'etc'), { recursive: true });
      const handler = join(scratch.path, 'etc/e-smith/events/port-update/S10note');
      write(scratch, 'etc/e-smith/events/port-update/S10note', '#!/bin/sh\necho "event $1" >> "$SMECONF_ROOT/journal"\n');
      chmodSync(handler, 0o755);
      let output = '';
      watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', '--event', 'port-update', '/etc/port.conf'], { env: scratch.env });
      watcher.stdout!.on('data', (chunk) => (output += chunk));
      await waitFor('the watcher to be ready', () => output.includes('watching 1 target'));
      // fifty props in one write, and a second write at once: one burst, one event
      run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '8443', ...Array.from({ length: 50 }, (_, i) => [`p${i}`, 'v']).flat()]);
      run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '9443']);
      await waitFor('the event', () => existsSync(join(scratch.path, 'journal')));
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(readFileSync(join(scratch.path, 'journal'), 'utf8'), 'event port-update\n');
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
      await waitFor('a report', () => output.includes('would-write'));
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
