import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, makeScratch, run, runAsync } from './helpers/cli.ts';
import type { RunResult, Scratch } from './helpers/cli.ts';
import { flockWaiters, holdFlock } from './helpers/locks.ts';
import { waitFor } from './helpers/processes.ts';

const SME_WRITER = join(REPO, 'test/fixtures/sme-setprop.pl');
// One Perl writer: SME's protocol unlocks before it unlinks the lock file,
// so two Perl writers can lose each other's updates (docs/decisions.md);
// what we show is that ours never lose theirs, nor they ours. Small sizes
// (a fast suite); the queued test below does not depend on timing.
const OUR_WRITERS = 3;
const OUR_WRITES = 12;
const PERL_WRITES = 36;

function perlSetprop(file: string, key: string, prop: string, value: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('perl', [SME_WRITER, file, key, prop, value]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: '', stderr }));
  });
}

describe('flat files shared with SME-style Perl writers', function () {
  this.timeout(120_000);
  let scratch: Scratch;
  beforeEach(() => (scratch = makeScratch('flatfile')));
  afterEach(() => scratch.remove());

  it('our db and a Perl writer on the same lock protocol lose no update', async () => {
    const file = join(scratch.dbDir, 'configuration');
    assert.equal(run(scratch, 'db', ['configuration', 'set', 'shared', 'counter']).status, 0);
    const failures: RunResult[] = [];
    const ours = async (w: number) => {
      for (let i = 0; i < OUR_WRITES; i++) {
        const result = await runAsync(scratch, 'db', ['configuration', 'setprop', 'shared', `ours${w}_${i}`, 'v']);
        if (result.status !== 0) failures.push(result);
      }
    };
    const theirs = async () => {
      for (let i = 0; i < PERL_WRITES; i++) {
        const result = await perlSetprop(file, 'shared', `perl${i}`, 'v');
        if (result.status !== 0) failures.push(result);
      }
    };
    await Promise.all([theirs(), ...Array.from({ length: OUR_WRITERS }, (_, w) => ours(w))]);
    assert.deepEqual(failures, []);
    const shown = JSON.parse(run(scratch, 'db', ['configuration', 'show', 'shared', '--json']).stdout) as { props: Record<string, string> };
    const expected = [
      ...Array.from({ length: PERL_WRITES }, (_, i) => `perl${i}`),
      ...Array.from({ length: OUR_WRITERS * OUR_WRITES }, (_, n) => `ours${Math.floor(n / OUR_WRITES)}_${n % OUR_WRITES}`),
    ];
    const missing = expected.filter((prop) => shown.props[prop] !== 'v');
    assert.deepEqual(missing, []);
    assert.deepEqual(readdirSync(scratch.dbDir), ['configuration', 'configuration.lock']);
  });

  it('a Perl writer and ours queued on the held lock, let go at once: every update lands', async () => {
    // All are seen waiting on the lock file before any may go on, so they
    // contend at one instant; Perl unlinks the lock file as it leaves, and
    // ours must notice and lock the new one rather than lose an update.
    const file = join(scratch.dbDir, 'configuration');
    assert.equal(run(scratch, 'db', ['configuration', 'set', 'shared', 'counter']).status, 0);
    const held = await holdFlock(`${file}.lock`);
    const writers = [perlSetprop(file, 'shared', 'perl', 'v'), ...Array.from({ length: 4 }, (_, w) => runAsync(scratch, 'db', ['configuration', 'setprop', 'shared', `ours${w}`, 'v']))];
    try {
      await waitFor('five writers waiting on the lock', () => flockWaiters(`${file}.lock`) === 5);
    } finally {
      await held.release();
    }
    assert.deepEqual((await Promise.all(writers)).filter((r) => r.status !== 0), []);
    const shown = JSON.parse(run(scratch, 'db', ['configuration', 'show', 'shared', '--json']).stdout) as { props: Record<string, string> };
    assert.deepEqual(['perl', 'ours0', 'ours1', 'ours2', 'ours3'].filter((prop) => shown.props[prop] !== 'v'), []);
  });
});
