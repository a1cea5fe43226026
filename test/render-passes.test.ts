import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { waitFor } from './helpers/processes.ts';

const T = 'etc/e-smith/templates';

/**
 * Every expander (expand-template, signal-event, smeconf watch) renders a
 * target once when its reads were recorded: a fragment before the first
 * read of a database other than configuration counts the passes.
 */
describe('one render pass with recorded reads', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  const passes = () => (existsSync(join(scratch.path, 'passes')) ? readFileSync(join(scratch.path, 'passes'), 'utf8').length : 0);
  const content = () => readFileSync(join(scratch.path, 'etc/x.conf'), 'utf8');
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    run(scratch, 'db', ['hosts', 'set', 'www.example.com', 'host']);
    write(scratch, `${T}/etc/x.conf/template-begin`, '');
    write(scratch, `${T}/etc/x.conf/05count.mjs`, `import { appendFileSync } from 'node:fs';\nexport default () => {\n  appendFileSync(${JSON.stringify(join(scratch.path, 'passes'))}, '.');\n  return '';\n};\n`);
    write(scratch, `${T}/etc/x.conf/10hosts`, '{{DomainName}}:{{#each (keys "hosts")}} {{this}}{{/each}}\n');
    write(scratch, 'etc/e-smith/events/x-update/templates2expand/etc/x.conf', '');
  });
  afterEach(() => scratch.remove());

  it('expand-template: two passes the first time, one once the reads are recorded', () => {
    assert.equal(run(scratch, 'expand-template', ['/etc/x.conf']).status, 0);
    assert.equal(passes(), 2);
    run(scratch, 'db', ['hosts', 'set', 'mail.example.com', 'host']);
    assert.equal(run(scratch, 'expand-template', ['/etc/x.conf']).status, 0);
    assert.equal(passes(), 3);
    assert.equal(content(), 'example.com: mail.example.com www.example.com\n');
  });

  it('signal-event: the reads an expansion recorded make its render one pass', () => {
    assert.equal(run(scratch, 'signal-event', ['x-update']).status, 0);
    assert.equal(passes(), 2);
    assert.equal(run(scratch, 'signal-event', ['x-update']).status, 0);
    assert.equal(passes(), 3);
    assert.equal(content(), 'example.com: www.example.com\n');
  });

  it('smeconf watch: one pass at start from the recorded reads, one for a database change from its own', async () => {
    assert.equal(run(scratch, 'expand-template', ['/etc/x.conf']).status, 0);
    let watcher: ChildProcess | undefined;
    try {
      let output = '';
      watcher = spawn(process.execPath, [binPath('smeconf'), 'watch', '/etc/x.conf'], { env: scratch.env });
      watcher.stdout!.on('data', (chunk) => (output += chunk));
      watcher.stderr!.on('data', (chunk) => (output += chunk));
      await waitFor('the watcher to be ready', () => output.includes('watching 1 target'));
      assert.equal(passes(), 3);
      run(scratch, 'db', ['hosts', 'set', 'mail.example.com', 'host']);
      await waitFor('the new host', () => content().includes('mail.example.com'));
      assert.equal(passes(), 4);
    } finally {
      watcher?.kill('SIGKILL');
    }
  });
});
