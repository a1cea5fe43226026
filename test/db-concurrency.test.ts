import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { BACKENDS, makeScratch, run, runAsync } from './helpers/cli.ts';
import type { RunResult, Scratch } from './helpers/cli.ts';

const WRITERS = 16;
const WRITES_EACH = 50;

for (const backend of BACKENDS) {
  describe(`concurrent writers (${backend})`, function () {
    this.timeout(240_000);
    let scratch: Scratch;
    before(() => (scratch = makeScratch(backend)));
    after(() => scratch.remove());

    it(`${WRITERS} processes × ${WRITES_EACH} setprops: all values present, no error, no lock left`, async () => {
      assert.equal(run(scratch, 'db', ['configuration', 'set', 'race', 'counter']).status, 0);
      const failures: RunResult[] = [];
      const writer = async (w: number) => {
        for (let i = 0; i < WRITES_EACH; i++) {
          const result = await runAsync(scratch, 'db', ['configuration', 'setprop', 'race', `w${w}_${i}`, `value ${w}|${i}`]);
          if (result.status !== 0 || result.stderr !== '') failures.push(result);
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      assert.deepEqual(failures, []);

      const shown = JSON.parse(run(scratch, 'db', ['configuration', 'show', 'race', '--json']).stdout) as { props: Record<string, string> };
      assert.equal(Object.keys(shown.props).length, WRITERS * WRITES_EACH);
      for (let w = 0; w < WRITERS; w++) {
        for (let i = 0; i < WRITES_EACH; i++) assert.equal(shown.props[`w${w}_${i}`], `value ${w}|${i}`);
      }
      const leftovers = readdirSync(scratch.dbDir).filter((name) => !['configuration', 'smeconf.sqlite', 'smeconf.sqlite-wal', 'smeconf.sqlite-shm'].includes(name));
      assert.deepEqual(leftovers, []);
    });
  });
}
