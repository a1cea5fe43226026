// Library API on the sqlite backend, in one process: `setProps` calls, each
// its own transaction (target: 10,000 < 500 ms), and `importFlat` of
// accounts-like records, 6 props each, one transaction with its change log
// (target: 100,000 < 2 s). `--quick`: 1,000 setProps, a 10,000-record import.
// `--tree DIR` measures that checkout's build.
import { join } from 'node:path';
import { QUICK, accountsFile, importPackage, machine, median, scratchRoot } from './_measure.mjs';

const { ConfigDb, importFlat } = await importPackage('db/dist/index.js');
const { SqliteBackend } = await importPackage('db-sqlite/dist/index.js');

const SETPROPS = QUICK ? 1_000 : 10_000;
const RECORDS = QUICK ? 10_000 : 100_000;

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
  for (let i = 0; i < SETPROPS; i++) await db.setProps('modSSL', new Map([['TCPPort', String(i)]]));
});
console.log(`${SETPROPS.toLocaleString('en')} setProps (library, one process, each a transaction): ${setprops.toFixed(0)} ms`);
const text = accountsFile(RECORDS);
const imported = await medianOf(3, (db) => importFlat(db, text));
console.log(`import of ${RECORDS.toLocaleString('en')} records (one transaction, change log): ${imported.toFixed(0)} ms`);
