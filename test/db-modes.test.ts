import assert from 'node:assert/strict';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

const modeOf = (path: string) => statSync(path).mode & 0o7777;

describe('the SQLite store is private (mode 0640, as SME flat files)', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  let store: string;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    store = join(scratch.dbDir, 'smeconf.sqlite');
  });
  afterEach(() => scratch.remove());

  it('is created 0640 even under umask 000', () => {
    const umask = process.umask(0);
    try {
      assert.equal(run(scratch, 'config', ['set', 'k', 'secret']).status, 0);
    } finally {
      process.umask(umask);
    }
    assert.equal(modeOf(store).toString(8), '640');
  });

  it('a looser mode is narrowed on the next use, with one warning line', () => {
    assert.equal(run(scratch, 'config', ['set', 'k', 'secret']).status, 0);
    chmodSync(store, 0o644);
    const first = run(scratch, 'config', ['get', 'k']);
    assert.deepEqual([first.status, first.stdout, first.stderr], [0, 'secret\n', `config: warning: ${store} was mode 0644, now 0640\n`]);
    assert.equal(modeOf(store).toString(8), '640');
    const second = run(scratch, 'config', ['get', 'k']);
    assert.deepEqual([second.status, second.stderr], [0, '']);
  });

  it('a stricter mode is kept', () => {
    assert.equal(run(scratch, 'config', ['set', 'k', 'secret']).status, 0);
    chmodSync(store, 0o600);
    assert.deepEqual(run(scratch, 'config', ['set', 'k', 'other']).stderr, '');
    assert.equal(modeOf(store).toString(8), '600');
  });
});
