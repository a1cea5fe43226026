// The same `db` commands on a sqlite database of 20,000 accounts-like
// records (6 props each) against one of 200 (target: ≤ 10% slower).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsFile, DB_BIN, SMECONF_BIN, machine, medians, runOrThrow, scratchRoot } from './_measure.mjs';

const sizes = [200, 20_000];
const scratches = sizes.map((n) => {
  const scratch = scratchRoot();
  const file = join(scratch.root, 'accounts.flat');
  writeFileSync(file, accountsFile(n));
  runOrThrow(['node', SMECONF_BIN, 'import', 'accounts', file], scratch.env);
  return scratch;
});
try {
  const commands = {};
  sizes.forEach((n, i) => {
    const { env } = scratches[i];
    const key = `user${n / 2}`;
    commands[`getprop (${n} records)`] = () => [['node', DB_BIN, 'accounts', 'getprop', key, 'Uid'], env];
    commands[`setprop (${n} records)`] = (round) => [['node', DB_BIN, 'accounts', 'setprop', key, 'Shell', `/bin/sh${round & 1}`], env];
  });
  const m = medians(commands);
  console.log(`machine: ${machine()}`);
  for (const [label, ms] of Object.entries(m)) console.log(`${label.padEnd(28)} ${ms.toFixed(1).padStart(6)} ms`);
  for (const verb of ['getprop', 'setprop']) {
    const ratio = m[`${verb} (20000 records)`] / m[`${verb} (200 records)`];
    console.log(`${verb}: 20,000 vs 200 records: ${((ratio - 1) * 100).toFixed(1)}%`);
  }
} finally {
  for (const scratch of scratches) scratch.remove();
}
