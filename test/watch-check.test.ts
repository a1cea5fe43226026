import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { waitFor } from './helpers/processes.ts';

/** The watcher goes through the same pipeline as expand-template and events: CHECK, root confinement, warnings. */
describe('smeconf watch: CHECK and warnings', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  let watcher: ChildProcess | undefined;
  let output = '';
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    write(scratch, 'etc/e-smith/templates/etc/app.conf/template-begin', '');
    write(scratch, 'etc/e-smith/templates/etc/app.conf/10', 'domain {{DomainName}}\n');
    mkdirSync(join(scratch.path, 'etc'), { recursive: true });
    output = '';
  });
  afterEach(() => {
    watcher?.kill('SIGKILL');
    scratch.remove();
  });

  async function startWatching(...args: string[]): Promise<void> {
    watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', ...args, '/etc/app.conf'], { env: scratch.env });
    watcher.stdout!.on('data', (chunk) => (output += chunk));
    watcher.stderr!.on('data', (chunk) => (output += chunk));
    // the first sync (render, check, write) is done before the watcher says it is ready
    await waitFor('the watcher to be ready', () => output.includes('watching 1 target'));
  }

  it('does not write a target whose CHECK fails, and shows metadata warnings', async () => {
    write(scratch, 'etc/e-smith/templates.metadata/etc/app.conf', 'CHECK=["sh", "-c", "echo refused by the check; exit 1"]\nNOSUCHKEY=1\n');
    await startWatching();
    assert.equal(existsSync(join(scratch.path, 'etc/app.conf')), false, 'watch wrote a file that fails its CHECK');
    // stdout and stderr are two pipes: their lines arrive in no set order
    await waitFor('the check output', () => /refused by the check\n/.test(output));
    await waitFor('the check failure', () => /check of .*\/etc\/app\.conf failed \(sh -c .*\): nothing written \[E_TPL_CHECK\]\n/.test(output));
    await waitFor('the metadata warning', () => output.includes('unknown metadata key NOSUCHKEY ignored'));
    run(scratch, 'config', ['set', 'DomainName', 'other.org']);
    await waitFor('a second refusal', () => output.split('refused by the check').length === 3);
    assert.equal(existsSync(join(scratch.path, 'etc/app.conf')), false);
  });

  it('writes a target whose CHECK passes, and says so', async () => {
    write(scratch, 'etc/e-smith/templates.metadata/etc/app.conf', 'CHECK=["grep", "-q", "domain", "{}"]\n');
    await startWatching();
    assert.equal(readFileSync(join(scratch.path, 'etc/app.conf'), 'utf8'), 'domain example.com\n');
    await waitFor('the report', () => /updated .*\/etc\/app\.conf \(check passed\)\n/.test(output));
  });
});
