// `db`/`config` wall time, each a ratio to a bare `node -e 0` measured in the
// same interleaved rounds with the same environment (issue #12 targets):
//   sqlite getprop/setprop ≤ 1.15× at 200, 20,000 and 200,000 records;
//   flatfile setprop ≤ 2× at 20,000 records and ≤ 8× at 200,000.
// Accounts-like databases (6 props a record) made by writing an SME flat file:
// imported for sqlite (`smeconf import`), as it is for flatfile.
// `--quick`: sqlite at 200 records and flatfile at 20,000, few rounds.
// `--rounds N` overrides the number of rounds; `--tree DIR` measures another build.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_BIN, DB_BIN, QUICK, SMECONF_BIN, accountsFile, machine, medians, ratioLine, runOrThrow, scratchRoot } from './_measure.mjs';

const SQLITE_SIZES = QUICK ? [200] : [200, 20_000, 200_000];
const FLATFILE_SIZES = QUICK ? [20_000] : [20_000, 200_000];
const TARGETS = { sqlite: () => 1.15, flatfile: (n, verb) => (verb === 'getprop' ? undefined : n <= 20_000 ? 2 : 8) };
const rounds = Number(argument('--rounds') ?? (QUICK ? 8 : 20));

function argument(name) {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** A scratch root holding `n` accounts records in `backend`, and modSSL in configuration. */
function makeDb(backend, n) {
  const scratch = scratchRoot();
  const env = { ...scratch.env, SMECONF_BACKEND: backend };
  const flat = accountsFile(n);
  if (backend === 'flatfile') {
    writeFileSync(join(scratch.root, 'home/e-smith/db/accounts'), flat);
  } else {
    const file = join(scratch.root, 'accounts.flat');
    writeFileSync(file, flat);
    runOrThrow(['node', SMECONF_BIN, 'import', 'accounts', file], env);
  }
  runOrThrow(['node', DB_BIN, 'configuration', 'set', 'modSSL', 'service', 'TCPPort', '443', 'status', 'enabled'], env);
  return { ...scratch, env };
}

const scratches = [];
try {
  const commands = { 'node -e 0': () => [['node', '-e', '0'], process.env] };
  const targets = {};
  const add = (label, target, make) => {
    commands[label] = make;
    targets[label] = target;
  };
  for (const [backend, sizes] of [['sqlite', SQLITE_SIZES], ['flatfile', FLATFILE_SIZES]]) {
    for (const n of sizes) {
      const { env } = scratches[scratches.push(makeDb(backend, n)) - 1];
      const key = `user${n / 2}`;
      const at = `${backend} ${n.toLocaleString('en')} records:`;
      add(`${at} db accounts getprop ${key} Uid`, TARGETS[backend](n, 'getprop'), () => [['node', DB_BIN, 'accounts', 'getprop', key, 'Uid'], env]);
      // alternate the value so that every run really writes
      add(`${at} db accounts setprop ${key} Shell …`, TARGETS[backend](n, 'setprop'), (round) => [['node', DB_BIN, 'accounts', 'setprop', key, 'Shell', `/bin/sh${round & 1}`], env]);
      if (backend === 'sqlite' && n === SQLITE_SIZES[0]) {
        add(`${at} db configuration getprop modSSL TCPPort`, TARGETS.sqlite(), () => [['node', DB_BIN, 'configuration', 'getprop', 'modSSL', 'TCPPort'], env]);
        add(`${at} config getprop modSSL TCPPort`, TARGETS.sqlite(), () => [['node', CONFIG_BIN, 'getprop', 'modSSL', 'TCPPort'], env]);
      }
    }
  }
  const m = medians(commands, rounds);
  const bare = m['node -e 0'];
  console.log(`machine: ${machine()}`);
  console.log(`${rounds} interleaved rounds, medians`);
  for (const [label, ms] of Object.entries(m)) {
    const target = targets[label];
    console.log(`${ratioLine(label, ms, bare, 66)}${target === undefined ? '' : `  (target ≤ ${target}×${ms / bare <= target ? '' : ', missed'})`}`);
  }
  for (const verb of ['getprop', 'setprop']) {
    const small = Object.keys(m).find((label) => label.startsWith('sqlite 200 records') && label.includes(` ${verb} `));
    for (const label of Object.keys(m).filter((l) => l.startsWith('sqlite') && l.includes(` accounts ${verb} `) && l !== small)) {
      console.log(`sqlite ${verb}: ${label.split(':')[0].slice('sqlite '.length)} vs 200: ${(((m[label] - m[small]) / m[small]) * 100).toFixed(1)}%`);
    }
  }
} finally {
  for (const scratch of scratches) scratch.remove();
}
