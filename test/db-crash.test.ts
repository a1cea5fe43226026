import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, makeScratch, run } from './helpers/cli.ts';
import type { BinName, Scratch } from './helpers/cli.ts';

const RECORDS = 100_000;
const KILL_DELAYS_MS = [40, 70, 100, 140, 180, 230, 300, 400, 550, 800];

function bigFlatFile(marker: string): string {
  const lines = [`marker=${marker}`];
  for (let i = 0; i < RECORDS; i++) lines.push(`user${i}=user|Uid|${1000 + i}|FirstName|Name ${i}|LastName|Surname|Shell|/bin/bash`);
  return lines.join('\n') + '\n';
}

/** Starts a writer, kills it with SIGKILL after `delay` ms (or lets it finish first). */
function killAfter(scratch: Scratch, bin: BinName, args: string[], delay: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath(bin), ...args], { env: scratch.env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('kill -9 of a writer in the middle', function () {
  this.timeout(300_000);

  it('sqlite: an import of 100,000 records is all there or not at all', async () => {
    const scratch = makeScratch('sqlite');
    try {
      const file = join(scratch.path, 'big.flat');
      writeFileSync(file, bigFlatFile('new'));
      for (const delay of KILL_DELAYS_MS) {
        run(scratch, 'smeconf', ['import', 'configuration', file]);
        run(scratch, 'db', ['configuration', 'delete', 'user7']);
        run(scratch, 'db', ['configuration', 'set', 'marker', 'old']);
        await killAfter(scratch, 'smeconf', ['import', 'configuration', file], delay);
        const marker = run(scratch, 'db', ['configuration', 'get', 'marker']);
        const user7 = run(scratch, 'db', ['configuration', 'getprop', 'user7', 'Uid']);
        assert.equal(marker.status, 0, `readable after a kill at ${delay} ms: ${marker.stderr}`);
        const state = [marker.stdout, user7.stdout];
        assert.ok(
          (state[0] === 'old\n' && state[1] === '') || (state[0] === 'new\n' && state[1] === '1007\n'),
          `old or new after a kill at ${delay} ms, got ${JSON.stringify(state)}`,
        );
      }
    } finally {
      scratch.remove();
    }
  });

  it('flatfile: a setprop on a 100,000-record file leaves the old or the new file, and the next writer proceeds', async () => {
    const scratch = makeScratch('flatfile');
    try {
      const file = join(scratch.dbDir, 'configuration');
      for (const delay of KILL_DELAYS_MS) {
        writeFileSync(file, bigFlatFile('old'));
        await killAfter(scratch, 'db', ['configuration', 'set', 'marker', 'new'], delay);
        const marker = run(scratch, 'db', ['configuration', 'get', 'marker']);
        const last = run(scratch, 'db', ['configuration', 'getprop', `user${RECORDS - 1}`, 'Uid']);
        assert.ok(['old\n', 'new\n'].includes(marker.stdout), `old or new after a kill at ${delay} ms, got ${JSON.stringify(marker.stdout)}`);
        assert.equal(last.stdout, `${1000 + RECORDS - 1}\n`, 'every record still there');
        const next = run(scratch, 'db', ['configuration', 'setprop', 'marker', 'p', 'v']);
        assert.deepEqual([next.status, next.stderr], [0, '']);
      }
    } finally {
      scratch.remove();
    }
  });
});
