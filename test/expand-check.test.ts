import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

const stamp = (path: string) => {
  const s = statSync(path, { bigint: true });
  return `${s.ino}:${s.mtimeNs}`;
};
const META = 'etc/e-smith/templates.metadata/etc/app.conf';
const FAILING = 'CHECK=["sh", "-c", "echo bad syntax in $1; exit 1", "check", "{}"]\n';

describe('expand-template runs the CHECK of the metadata', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  let path: string;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    write(scratch, 'etc/e-smith/templates/etc/app.conf/template-begin', '');
    write(scratch, 'etc/e-smith/templates/etc/app.conf/10', 'domain {{DomainName}}\n');
    path = join(scratch.path, 'etc/app.conf');
    mkdirSync(dirname(path), { recursive: true });
  });
  afterEach(() => scratch.remove());

  it('a failing CHECK: exit 5, the check output and one error line, nothing written, no staged file', () => {
    write(scratch, META, FAILING);
    const created = run(scratch, 'expand-template', ['/etc/app.conf']);
    assert.equal(created.status, 5);
    assert.equal(existsSync(path), false);
    assert.match(created.stderr, /^bad syntax in .*app\.conf.*\nexpand-template: check of .*\/etc\/app\.conf failed \(sh -c .*\): nothing written \[E_TPL_CHECK\]\n$/);
    write(scratch, 'etc/app.conf', 'domain old.org\n');
    const before = stamp(path);
    assert.equal(run(scratch, 'expand-template', ['/etc/app.conf']).status, 5);
    assert.equal(readFileSync(path, 'utf8'), 'domain old.org\n');
    assert.equal(stamp(path), before);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc')).sort(), ['app.conf', 'e-smith']);
  });

  it('an unchanged target whose file fails its CHECK is a failure too', () => {
    write(scratch, 'etc/app.conf', 'domain example.com\n');
    write(scratch, META, 'CHECK=["false"]\n');
    const result = run(scratch, 'expand-template', ['/etc/app.conf']);
    assert.equal(result.status, 5);
    assert.match(result.stderr, /check of .*\/etc\/app\.conf failed \(false\): the file in place fails its check \[E_TPL_CHECK\]\n$/);
  });

  it('a passing CHECK: written; --dry-run and --json report the check result and write nothing', () => {
    write(scratch, META, 'CHECK=["grep", "-q", "domain example", "{}"]\n');
    const dry = run(scratch, 'expand-template', ['--dry-run', '/etc/app.conf']);
    assert.deepEqual([dry.status, dry.stdout, dry.stderr], [0, `would create ${path} (check passed)\n`, '']);
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc')).sort(), ['e-smith'], 'the staged file of the dry run is gone');
    const json = run(scratch, 'expand-template', ['--json', '/etc/app.conf']);
    assert.deepEqual(JSON.parse(json.stdout), { path, status: 'created', check: 'passed' });
    assert.equal(readFileSync(path, 'utf8'), 'domain example.com\n');
  });

  it('--dry-run of a failing CHECK: the failure reported, exit 5, nothing written', () => {
    write(scratch, META, FAILING);
    const dry = run(scratch, 'expand-template', ['--dry-run', '/etc/app.conf']);
    assert.equal(dry.status, 5);
    assert.match(dry.stderr, /^bad syntax in .*\nexpand-template: check of .*\/etc\/app\.conf failed \(sh -c .*\): it would not be written \[E_TPL_CHECK\]\n$/);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc')).sort(), ['e-smith']);
  });
});

describe('expand-template: recording the reads fails', function () {
  this.timeout(30_000);
  it('nothing is written when the reads cannot be recorded (template-reads unwritable)', () => {
    const scratch = makeScratch('flatfile');
    try {
      run(scratch, 'config', ['set', 'DomainName', 'example.com']);
      write(scratch, 'etc/e-smith/templates/etc/app.conf/10', 'domain {{DomainName}}\n');
      mkdirSync(join(scratch.path, 'etc'), { recursive: true });
      mkdirSync(join(scratch.dbDir, 'template-reads')); // a directory where the database file should be
      const result = run(scratch, 'expand-template', ['/etc/app.conf']);
      assert.equal(result.status, 4);
      assert.equal(existsSync(join(scratch.path, 'etc/app.conf')), false, 'the target was written although the command failed');
      assert.match(result.stderr, /^expand-template: .*template-reads.* \[E_DB_IO\]\n$/);
    } finally {
      scratch.remove();
    }
  });
});
