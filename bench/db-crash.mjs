// kill -9 of database writers at timed moments, at the big size of
// test/db-crash.test.ts (which stops the writer at exact points of a
// 5,000-record write instead). A stress run, not a proof: where a kill lands
// depends on the machine; each line says what the database held after it.
//   node bench/db-crash.mjs [RECORDS] [DELAY_MS…]   (default 100000, 40 … 800)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DB_BIN, SMECONF_BIN, machine, runOrThrow, scratchRoot } from './_measure.mjs';

const RECORDS = Number(process.argv[2] ?? 100_000);
const DELAYS = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [40, 70, 100, 140, 180, 230, 300, 400, 550, 800];

function flatFile(marker, name) {
  const lines = [`marker=${marker}`];
  for (let i = 0; i < RECORDS; i++) lines.push(`user${i}=user|Uid|${1000 + i}|FirstName|${name} ${i}|Shell|/bin/bash`);
  return lines.join('\n') + '\n';
}

/** Runs argv, kills it after `delay` ms unless it ended first; says which. */
function killAfter(argv, env, delay) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    child.on('close', (_status, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
    });
  });
}

const records = (exported) => exported.split('\n').filter((line) => !line.startsWith('#')).join('\n');
let violations = 0;
const report = (what, delay, fate, state) => {
  if (state === 'neither') violations++;
  console.log(`${what.padEnd(9)} ${String(delay).padStart(4)} ms: ${fate.padEnd(8)} → ${state}`);
};

console.log(`machine: ${machine()}; ${RECORDS} records`);
const scratch = scratchRoot();
try {
  const sqlite = { ...scratch.env, SMECONF_BACKEND: 'sqlite' };
  const [oldFile, newFile] = [join(scratch.root, 'old.flat'), join(scratch.root, 'new.flat')];
  writeFileSync(oldFile, flatFile('old', 'Old'));
  writeFileSync(newFile, flatFile('new', 'New'));
  const exportNow = () => records(runOrThrow([process.execPath, SMECONF_BIN, 'export', 'configuration'], sqlite));
  runOrThrow([process.execPath, SMECONF_BIN, 'import', 'configuration', newFile], sqlite);
  const whenNew = exportNow();
  for (const delay of DELAYS) {
    runOrThrow([process.execPath, SMECONF_BIN, 'import', 'configuration', oldFile], sqlite);
    const whenOld = exportNow();
    const fate = await killAfter([process.execPath, SMECONF_BIN, 'import', 'configuration', newFile], sqlite, delay);
    const now = exportNow();
    report('sqlite', delay, fate, now === whenOld ? 'old' : now === whenNew ? 'new' : 'neither');
  }

  const flat = { ...scratch.env, SMECONF_BACKEND: 'flatfile' };
  const file = join(scratch.root, 'home/e-smith/db/configuration');
  const old = flatFile('old', 'Name');
  for (const delay of DELAYS) {
    writeFileSync(file, old);
    const fate = await killAfter([process.execPath, DB_BIN, 'configuration', 'set', 'marker', 'new'], flat, delay);
    const text = readFileSync(file, 'utf8');
    const marker = runOrThrow([process.execPath, DB_BIN, 'configuration', 'get', 'marker'], flat);
    const whole = runOrThrow([process.execPath, DB_BIN, 'configuration', 'getprop', `user${RECORDS - 1}`, 'Uid'], flat) === `${1000 + RECORDS - 1}\n`;
    runOrThrow([process.execPath, DB_BIN, 'configuration', 'setprop', 'marker', 'p', 'v'], flat); // the next writer proceeds
    report('flatfile', delay, fate, text === old ? 'old' : marker === 'new\n' && whole ? 'new' : 'neither');
  }
} finally {
  scratch.remove();
}
console.log(violations === 0 ? 'every kill left the old or the new database' : `${violations} kill(s) left neither`);
process.exitCode = violations === 0 ? 0 : 1;
