import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import { killMidWrite } from './helpers/kill-mid-write.ts';
import type { PausePoint } from './helpers/kill-mid-write.ts';

// The writer is stopped at an exact point inside its write and killed there
// (test/helpers/pause-in-write.cjs), so the size only has to make the write
// a real one; bench/db-crash.mjs kills 100,000-record writes at random moments.
const RECORDS = 5_000;

function flatFile(marker: string, name: string): string {
  const lines = [`marker=${marker}`];
  for (let i = 0; i < RECORDS; i++) lines.push(`user${i}=user|Uid|${1000 + i}|FirstName|${name} ${i}|Shell|/bin/bash`);
  return lines.join('\n') + '\n';
}

/** An export without its header (which has the date). */
const records = (exported: string) => exported.split('\n').filter((line) => !line.startsWith('#')).join('\n');

describe('kill -9 of a writer inside its write', function () {
  this.timeout(60_000);

  describe('sqlite: an import that rewrites every record is all there or not at all', () => {
    const points: [string, PausePoint][] = [
      // the records go 32 a statement (packages/db-sqlite/src/row-batches.ts)
      ['half-way through the records', { at: 'sql', match: '^INSERT OR FAIL INTO records', nth: Math.floor(RECORDS / 2 / 32) }],
      ['after the last statement, before COMMIT', { at: 'sql', match: '^UPDATE meta SET value', when: 'after' }],
    ];
    for (const [where, point] of points) {
      it(`killed ${where}: the database is exactly the old one`, async () => {
        const scratch = makeScratch('sqlite');
        try {
          const [oldFile, newFile] = [join(scratch.path, 'old.flat'), join(scratch.path, 'new.flat')];
          writeFileSync(oldFile, flatFile('old', 'Old'));
          writeFileSync(newFile, flatFile('new', 'New'));
          assert.equal(run(scratch, 'smeconf', ['import', 'configuration', oldFile]).status, 0);
          const before = records(run(scratch, 'smeconf', ['export', 'configuration']).stdout);
          assert.match(await killMidWrite(scratch, 'smeconf', ['import', 'configuration', newFile], point), /paused/);
          const after = run(scratch, 'smeconf', ['export', 'configuration']);
          assert.equal(after.status, 0, `readable after the kill: ${after.stderr}`);
          assert.ok(records(after.stdout) === before, `the old records, unchanged (got ${after.stdout.split('New ').length - 1} new names)`);
          // and the same import, not killed, goes through: the check above can tell new from old
          assert.equal(run(scratch, 'smeconf', ['import', 'configuration', newFile]).status, 0);
          assert.equal(run(scratch, 'db', ['configuration', 'getprop', `user${RECORDS - 1}`, 'FirstName']).stdout, `New ${RECORDS - 1}\n`);
        } finally {
          scratch.remove();
        }
      });
    }
  });

  describe(`flatfile: a set on a ${RECORDS}-record file leaves the old or the new file, and the next writer proceeds`, () => {
    const points: [string, PausePoint, 'old' | 'new'][] = [
      ['half-way through writing the temp file', { at: 'writeSync', match: '/\\.configuration\\.smeconf-', when: 'half' }, 'old'],
      ['before the rename', { at: 'renameSync', match: '/configuration$' }, 'old'],
      ['after the rename, holding the lock', { at: 'renameSync', match: '/configuration$', when: 'after' }, 'new'],
    ];
    for (const [where, point, expected] of points) {
      it(`killed ${where}: the ${expected} file`, async () => {
        const scratch = makeScratch('flatfile');
        try {
          const file = join(scratch.dbDir, 'configuration');
          const old = flatFile('old', 'Name');
          writeFileSync(file, old);
          assert.match(await killMidWrite(scratch, 'db', ['configuration', 'set', 'marker', 'new'], point), /paused/);
          if (expected === 'old') assert.ok(readFileSync(file, 'utf8') === old, 'the old file, byte for byte');
          assert.equal(run(scratch, 'db', ['configuration', 'get', 'marker']).stdout, `${expected}\n`);
          assert.equal(run(scratch, 'db', ['configuration', 'getprop', `user${RECORDS - 1}`, 'Uid']).stdout, `${1000 + RECORDS - 1}\n`, 'every record still there');
          const next = run(scratch, 'db', ['configuration', 'setprop', 'marker', 'p', 'v']);
          assert.deepEqual([next.status, next.stderr], [0, '']);
        } finally {
          scratch.remove();
        }
      });
    }
  });
});
