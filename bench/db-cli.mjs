// `db configuration getprop` and `setprop` wall time on the sqlite backend,
// as a ratio to a bare `node -e 0` measured in the same run (target ≤ 1.25).
import { DB_BIN, machine, medians, runOrThrow, scratchRoot } from './_measure.mjs';

const scratch = scratchRoot();
try {
  runOrThrow(['node', DB_BIN, 'configuration', 'set', 'modSSL', 'service', 'TCPPort', '443', 'status', 'enabled'], scratch.env);
  const m = medians({
    'node -e 0': () => [['node', '-e', '0'], process.env],
    'db configuration getprop modSSL TCPPort': () => [['node', DB_BIN, 'configuration', 'getprop', 'modSSL', 'TCPPort'], scratch.env],
    // alternate the value so that every run really writes
    'db configuration setprop modSSL TCPPort N': (round) => [['node', DB_BIN, 'configuration', 'setprop', 'modSSL', 'TCPPort', String(440 + (round & 1))], scratch.env],
  });
  const base = m['node -e 0'];
  console.log(`machine: ${machine()}`);
  for (const [label, ms] of Object.entries(m)) console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(6)} ms  ${(ms / base).toFixed(2)}x`);
} finally {
  scratch.remove();
}
