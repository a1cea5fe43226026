import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

const EV = 'etc/e-smith/events';
const META = 'etc/e-smith/templates.metadata/etc/app.conf';
const handlerLines = (stderr: string) => stderr.split('\n').filter((line) => /^S\d\d/.test(line)).map((line) => line.split(/\s+/).slice(0, 2).join(' '));

describe('signal-event: CHECK on every target of the expand step', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  let path: string;
  beforeEach(() => {
    scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    run(scratch, 'config', ['set', 'app', 'service', 'status', 'enabled']);
    write(scratch, 'etc/e-smith/templates/etc/app.conf/template-begin', '');
    write(scratch, 'etc/e-smith/templates/etc/app.conf/10', 'domain {{DomainName}}\n');
    write(scratch, `${EV}/app-update/templates2expand/etc/app.conf`, '');
    write(scratch, `${EV}/app-update/services2adjust/app`, 'reload\n');
    path = join(scratch.path, 'etc/app.conf');
  });
  afterEach(() => scratch.remove());

  it('an UNCHANGED target whose file fails its check fails the event, and no service is reloaded onto it', () => {
    write(scratch, 'etc/app.conf', 'domain example.com\n');
    write(scratch, META, 'CHECK=["sh", "-c", "echo broken file $1; exit 1", "check", "{}"]\n');
    const result = run(scratch, 'signal-event', ['app-update']);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.equal(result.stdout, '');
    assert.deepEqual(handlerLines(result.stderr), ['S05generic_template_expand failed', 'S90adjust-services skipped']);
    assert.match(result.stderr, new RegExp(`broken file ${path}\\n`));
    assert.match(result.stderr, /check of .*\/etc\/app\.conf failed \(sh -c .*\): the file in place fails its check \[E_TPL_CHECK\]/);
    assert.doesNotMatch(result.stdout + result.stderr, /not managed: reload app/);
  });

  it('--dry-run runs the check on a staged copy, reports it, writes nothing', () => {
    write(scratch, META, 'CHECK=["grep", "-q", "example", "{}"]\n');
    const passed = run(scratch, 'signal-event', ['--dry-run', 'app-update']);
    assert.equal(passed.status, 0);
    assert.match(passed.stdout, new RegExp(`\\n    check of ${path} passed\\n`));
    write(scratch, META, 'CHECK=["false"]\n');
    const failed = run(scratch, 'signal-event', ['--dry-run', 'app-update']);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /check of .*\/etc\/app\.conf failed \(false\): it would not be written \[E_TPL_CHECK\]/);
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc')).sort(), ['e-smith']);
  });

  it('OUTPUT_FILENAME escaping the root fails the step; nothing written', () => {
    const outside = makeTempDir('smeconf-outside-');
    try {
      write(scratch, META, `OUTPUT_FILENAME=/../${basename(outside.path)}/escaped.conf\n`);
      const result = run(scratch, 'signal-event', ['app-update']);
      assert.deepEqual(readdirSync(outside.path), []);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /OUTPUT_FILENAME: .* must not contain \.\. \[E_TPL_PATH\]/);
    } finally {
      outside.remove();
    }
  });
});

describe('signal-event: recording the reads fails', function () {
  this.timeout(30_000);
  it('nothing is swapped in, the event fails with one message, no stack trace', () => {
    const scratch = makeScratch('flatfile', { SMECONF_SERVICE_MANAGER: 'none' });
    try {
      run(scratch, 'config', ['set', 'DomainName', 'example.com']);
      write(scratch, 'etc/e-smith/templates/etc/app.conf/10', 'domain {{DomainName}}\n');
      write(scratch, `${EV}/app-update/templates2expand/etc/app.conf`, '');
      const file = write(scratch, 'etc/app.conf', 'old\n');
      const before = statSync(file).mtimeMs;
      mkdirSync(join(scratch.dbDir, 'template-reads')); // a directory where the database file should be
      const result = run(scratch, 'signal-event', ['app-update']);
      assert.equal(readFileSync(file, 'utf8'), 'old\n', 'the target was swapped in although the event failed');
      assert.equal(statSync(file).mtimeMs, before);
      assert.equal(result.status, 1);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.match(result.stderr, /template-reads.*\[E_DB_IO\]\n    nothing written: 1 of 1 templates failed\n/);
    } finally {
      scratch.remove();
    }
  });
});

describe('signal-event: a command-managed service that dies at start', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    write(scratch, `${EV}/svc-start/services2adjust/svc`, 'start\n');
  });
  afterEach(() => {
    run(scratch, 'config', ['setprop', 'svc', 'status', 'disabled']);
    run(scratch, 'signal-event', ['svc-start']); // stops it if it runs
    scratch.remove();
  });

  function service(script: string): void {
    const pidFile = join(scratch.path, 'var/run/svc.pid');
    run(scratch, 'config', ['set', 'svc', 'service', 'status', 'enabled', 'ServiceManager', 'command', 'readyPidFile', pidFile, 'startCommand', JSON.stringify(['sh', '-c', script, 'svc', pidFile])]);
    mkdirSync(dirname(pidFile), { recursive: true });
  }

  it('exits before it is ready (its readyPidFile): the event fails, with its output', () => {
    service('echo "svc: cannot parse its configuration"; exit 3');
    const result = run(scratch, 'signal-event', ['svc-start']);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.equal(result.stdout, '');
    assert.deepEqual(handlerLines(result.stderr), ['S90adjust-services failed']);
    assert.match(result.stderr, /svc: cannot parse its configuration\n/);
    assert.match(result.stderr, /svc exited with status 3 before it was ready/);
    assert.equal(existsSync(join(scratch.path, 'var/run/smeconf/svc.pid')), false, 'no pid file for a dead service');
  });

  it('writes its readyPidFile: started, the event succeeds', () => {
    service('echo $$ > "$1"; exec sleep 30');
    const result = run(scratch, 'signal-event', ['svc-start']);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const pid = readFileSync(join(scratch.path, 'var/run/smeconf/svc.pid'), 'utf8').trim();
    assert.equal(readFileSync(join(scratch.path, 'var/run/svc.pid'), 'utf8').trim(), pid);
  });
});
