// Concurrent `db setprop` processes on one record, per backend: the big
// size of test/db-concurrency.test.ts (which runs 4 × 25). Prints the wall
// time and the rate, and fails if any value is missing or a writer failed.
//   node bench/db-concurrency.mjs [WRITERS [WRITES_EACH]]   (default 16 50)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { DB_BIN, machine, runOrThrow, scratchRoot } from './_measure.mjs';

const WRITERS = Number(process.argv[2] ?? 16);
const WRITES_EACH = Number(process.argv[3] ?? 50);
// the database, its lock file (kept since #12) and the SQLite store: anything else is a leftover temp
const STORE_FILES = ['configuration', 'configuration.lock', 'smeconf.sqlite', 'smeconf.sqlite-wal', 'smeconf.sqlite-shm'];

function setprop(env, prop, value) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DB_BIN, 'configuration', 'setprop', 'race', prop, value], { env });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve(status === 0 && stderr === '' ? undefined : `${prop}: exit ${status} ${stderr.trim()}`));
  });
}

console.log(`machine: ${machine()}`);
let failed = false;
for (const backend of ['sqlite', 'flatfile']) {
  const scratch = scratchRoot();
  const env = { ...scratch.env, SMECONF_BACKEND: backend };
  try {
    runOrThrow([process.execPath, DB_BIN, 'configuration', 'set', 'race', 'counter'], env);
    const errors = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < WRITES_EACH; i++) {
          const error = await setprop(env, `w${w}_${i}`, `value ${w}|${i}`);
          if (error) errors.push(error);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const props = JSON.parse(runOrThrow([process.execPath, DB_BIN, 'configuration', 'show', 'race', '--json'], env)).props;
    const missing = [];
    for (let w = 0; w < WRITERS; w++) for (let i = 0; i < WRITES_EACH; i++) if (props[`w${w}_${i}`] !== `value ${w}|${i}`) missing.push(`w${w}_${i}`);
    const leftovers = readdirSync(`${scratch.root}/home/e-smith/db`).filter((name) => !STORE_FILES.includes(name));
    const total = WRITERS * WRITES_EACH;
    console.log(`${backend.padEnd(8)} ${WRITERS} × ${WRITES_EACH} setprops: ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(0)} writes/s; ` + `${errors.length} failed, ${missing.length} missing, leftovers: ${leftovers.join(' ') || 'none'}`);
    if (errors.length > 0 || missing.length > 0 || leftovers.length > 0) {
      failed = true;
      for (const line of [...errors, ...missing].slice(0, 5)) console.log(`  ${line}`);
    }
  } finally {
    scratch.remove();
  }
}
process.exitCode = failed ? 1 : 0;
