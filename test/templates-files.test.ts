import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** expand-template's temp files, symlinked targets and compiled-fragment cache (issue #9 items 5-7). */
describe('expand-template and the files around a target', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  let victim: string;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    const tpl = join(scratch.path, 'etc/e-smith/templates/etc/hosts');
    mkdirSync(tpl, { recursive: true });
    writeFileSync(join(tpl, 'template-begin'), '');
    writeFileSync(join(tpl, '10host'), '127.0.0.1 {{SystemName}}\n');
    run(scratch, 'config', ['set', 'SystemName', 'box']);
    victim = join(scratch.path, 'victim');
    writeFileSync(victim, 'root:secret-hash:19000\n', { mode: 0o600 });
  });
  afterEach(() => scratch.remove());
  const hosts = () => join(scratch.path, 'etc/hosts');

  it('a target that is a symlink: --diff does not show the link target, the write replaces the link', () => {
    symlinkSync(victim, hosts());
    const dry = run(scratch, 'expand-template', ['--dry-run', '--diff', '/etc/hosts']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.doesNotMatch(dry.stdout, /secret-hash/);
    assert.match(dry.stdout, /symbolic link/);
    assert.match(dry.stdout, /^\+127\.0\.0\.1 box$/m);
    const real = run(scratch, 'expand-template', ['/etc/hosts']);
    assert.equal(real.status, 0, real.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'root:secret-hash:19000\n');
    assert.equal(statSync(victim).mode & 0o7777, 0o600);
    assert.ok(lstatSync(hosts()).isFile());
    assert.equal(readFileSync(hosts(), 'utf8'), '127.0.0.1 box\n');
    assert.equal(statSync(hosts()).mode & 0o7777, 0o644);
  });

  it('removes the temp files a killed run left in the target directory', () => {
    const dead = spawnSync('true').pid;
    writeFileSync(join(scratch.path, 'etc', `.hosts.smeconf-${dead}-0123456789abcdef`), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(scratch.path, 'etc', `.hosts.smeconf-${dead}`), 'partial', { mode: 0o644 });
    const result = run(scratch, 'expand-template', ['/etc/hosts']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc')).sort(), ['e-smith', 'hosts']);
  });

  it('repairs a loose cache directory, and recompiles a tampered cache entry instead of running it', () => {
    const cache = join(scratch.path, 'var/cache/smeconf/fragments');
    mkdirSync(cache, { recursive: true });
    chmodSync(cache, 0o777);
    assert.equal(run(scratch, 'expand-template', ['/etc/hosts']).status, 0);
    assert.equal(statSync(cache).mode & 0o7777, 0o700);
    const entries = readdirSync(cache);
    assert.ok(entries.length > 0);
    const marker = join(scratch.path, 'pwned');
    const evil = `(process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'), {"compiler":[8,">= 4.3.0"],"main":function(){return "evil\\n";},"useData":true})`;
    for (const entry of entries) writeFileSync(join(cache, entry), evil);
    writeFileSync(hosts(), 'old\n');
    const result = run(scratch, 'expand-template', ['/etc/hosts']);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(!existsSync(marker), 'the tampered entry ran');
    assert.equal(readFileSync(hosts(), 'utf8'), '127.0.0.1 box\n');
  });
});
