// 10,000 setprops through the library API in one process, sqlite backend
// (target: under 1 s), and a 100,000-record import (one transaction).
import { join } from 'node:path';
import { ConfigDb, importFlat } from '../packages/db/dist/index.js';
import { SqliteBackend } from '../packages/db-sqlite/dist/index.js';
import { accountsFile, machine, median, scratchRoot } from './_measure.mjs';

/** Median wall time of `work(db)` over `runs` fresh stores (created outside the timing). */
async function medianOf(runs, work) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const scratch = scratchRoot();
    const backend = new SqliteBackend({ file: join(scratch.root, 'home/e-smith/db/smeconf.sqlite') });
    const db = new ConfigDb(backend, 'configuration');
    await db.set('warm', 'up');
    const start = process.hrtime.bigint();
    await work(db);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    await backend.close();
    scratch.remove();
  }
  return median(times);
}

console.log(`machine: ${machine()}`);
const setprops = await medianOf(5, async (db) => {
  await db.set('modSSL', 'service');
  for (let i = 0; i < 10_000; i++) await db.setProps('modSSL', new Map([['TCPPort', String(i)]]));
});
console.log(`10,000 setprops (library, one process): ${setprops.toFixed(0)} ms`);
const text = accountsFile(100_000);
const imported = await medianOf(3, (db) => importFlat(db, text));
console.log(`import of 100,000 records (one transaction): ${imported.toFixed(0)} ms`);
