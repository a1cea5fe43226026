import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** Paths that escape the root or the template queue: each refused, nothing written outside. */
describe('template and output paths stay inside the root', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  let outside: TempDir;
  /** A template path that, joined to the root, lands in `outside`. */
  let escape: string;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    outside = makeTempDir('smeconf-outside-');
    escape = `/../${basename(outside.path)}/victim.conf`;
    write(scratch, 'etc/e-smith/templates/etc/app.conf/10', 'app\n');
    mkdirSync(join(scratch.path, 'etc'), { recursive: true });
  });
  afterEach(() => {
    scratch.remove();
    outside.remove();
  });

  function refused(args: readonly string[], why: RegExp): void {
    const result = run(scratch, 'expand-template', args);
    assert.deepEqual(readdirSync(outside.path), [], 'nothing written outside the root');
    assert.equal(result.status, 5, result.stderr);
    assert.match(result.stderr, why);
    assert.match(result.stderr, /^expand-template: .* \[E_TPL_PATH\]\n$/);
  }

  it('a template path with .. (expand-template /../x)', () => {
    // the fragments this path names, in the root's templates tree
    write(scratch, join('etc/e-smith/templates', escape, '10'), 'escaped\n');
    refused([escape], /template path .* must not contain \.\./);
  });

  it('OUTPUT_FILENAME with ..', () => {
    write(scratch, 'etc/e-smith/templates.metadata/etc/app.conf', `OUTPUT_FILENAME=${escape}\n`);
    refused(['/etc/app.conf'], /OUTPUT_FILENAME: .* must not contain \.\./);
  });

  it('TEMPLATE_PATH with .. (fragments from outside the queue)', () => {
    write(scratch, 'secret/10', 'read from outside the template queue\n');
    write(scratch, 'etc/e-smith/templates.metadata/etc/app.conf', 'TEMPLATE_PATH=/../../../secret\n');
    const result = run(scratch, 'expand-template', ['/etc/app.conf']);
    assert.equal(existsSync(join(scratch.path, 'etc/app.conf')), false, 'nothing written from outside the queue');
    assert.equal(result.status, 5);
    assert.match(result.stderr, /TEMPLATE_PATH: .* must not contain \.\. \[E_TPL_PATH\]\n$/);
  });

  it('--output_filename with ..', () => {
    refused(['--output_filename', escape, '/etc/app.conf'], /output path .* must not contain \.\./);
  });

  it('an output whose parent directory is a symlink to outside the root', () => {
    symlinkSync(outside.path, join(scratch.path, 'etc/link'));
    write(scratch, 'etc/e-smith/templates/etc/link/victim.conf/10', 'through the link\n');
    refused(['/etc/link/victim.conf'], /resolves outside the root/);
  });

  it('a sub-template name with .. is a fragment problem', () => {
    // a relative template path: etc/app.conf + ../../../../../secret is ../../../secret, <root>/secret from the templates tree
    write(scratch, 'etc/e-smith/templates/etc/app.conf/20', '{{expand "../../../../../secret"}}\n');
    write(scratch, 'secret/template-begin', '');
    write(scratch, 'secret/10', 'secret\n');
    const result = run(scratch, 'expand-template', ['etc/app.conf']);
    assert.equal(result.status, 5);
    assert.equal(existsSync(join(scratch.path, 'etc/app.conf')), false);
    assert.match(result.stderr, /etc\/app\.conf\/20:1:\d+: .*must not contain \.\./);
  });
});
