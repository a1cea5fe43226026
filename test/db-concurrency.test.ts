import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, makeScratch, run, runAsync } from './helpers/cli.ts';
import type { RunResult, Scratch } from './helpers/cli.ts';
import { flockWaiters, holdFlock } from './helpers/locks.ts';
import { waitFor } from './helpers/processes.ts';

// Small on purpose (the suite must stay fast on 2 loaded cores); the
// deterministic flat-file test below does not depend on how the writers'
// timing falls, and bench/db-concurrency.mjs runs 16 × 50.
const WRITERS = 4;
const WRITES_EACH = 25;
// what a db directory holds after the writes: the database, its lock file (kept, packages/files/src/lock.ts), the SQLite store; no temp file
const STORE_FILES = ['configuration', 'configuration.lock', 'smeconf.sqlite', 'smeconf.sqlite-wal', 'smeconf.sqlite-shm'];

const propsOf = (scratch: Scratch) =>
  (JSON.parse(run(scratch, 'db', ['configuration', 'show', 'race', '--json']).stdout) as { props: Record<string, string> }).props;

for (const backend of BACKENDS) {
  describe(`concurrent writers (${backend})`, function () {
    this.timeout(120_000);
    let scratch: Scratch;
    beforeEach(() => {
      scratch = makeScratch(backend);
      assert.equal(run(scratch, 'db', ['configuration', 'set', 'race', 'counter']).status, 0);
    });
    afterEach(() => scratch.remove());

    it(`${WRITERS} processes × ${WRITES_EACH} setprops: all values present, no error, no temp file left`, async () => {
      const failures: RunResult[] = [];
      const writer = async (w: number) => {
        for (let i = 0; i < WRITES_EACH; i++) {
          const result = await runAsync(scratch, 'db', ['configuration', 'setprop', 'race', `w${w}_${i}`, `value ${w}|${i}`]);
          if (result.status !== 0 || result.stderr !== '') failures.push(result);
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      assert.deepEqual(failures, []);
      const props = propsOf(scratch);
      assert.equal(Object.keys(props).length, WRITERS * WRITES_EACH);
      for (let w = 0; w < WRITERS; w++) {
        for (let i = 0; i < WRITES_EACH; i++) assert.equal(props[`w${w}_${i}`], `value ${w}|${i}`);
      }
      assert.deepEqual(readdirSync(scratch.dbDir).filter((name) => !STORE_FILES.includes(name)), []);
    });

    if (backend !== 'flatfile') return;
    it(`${WRITERS * 2} writers queued on the held lock, let go at once: none loses another's update`, async () => {
      // Every writer is seen waiting on the lock before any may go on, so
      // they all contend at the same instant; one that read the file before
      // taking the lock would write back a stale copy and lose the others'.
      const lock = join(scratch.dbDir, 'configuration.lock');
      const held = await holdFlock(lock);
      const writers = Array.from({ length: WRITERS * 2 }, (_, w) => runAsync(scratch, 'db', ['configuration', 'setprop', 'race', `q${w}`, 'v']));
      try {
        await waitFor(`${WRITERS * 2} writers waiting on the lock`, () => flockWaiters(lock) === WRITERS * 2);
      } finally {
        await held.release();
      }
      const results = await Promise.all(writers);
      assert.deepEqual(results.filter((r) => r.status !== 0 || r.stderr !== ''), []);
      const props = propsOf(scratch);
      assert.deepEqual(Array.from({ length: WRITERS * 2 }, (_, w) => props[`q${w}`]), Array(WRITERS * 2).fill('v'));
      assert.deepEqual(readdirSync(scratch.dbDir).filter((name) => !STORE_FILES.includes(name)), []);
    });
  });
}
