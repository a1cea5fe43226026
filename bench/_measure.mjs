// Shared helpers of the bench scripts: scratch roots, interleaved timing of
// whole commands, medians, and a line naming the machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The checkout whose build is measured: this one, or another given as
 * `--tree DIR` (e.g. a worktree of the previous commit, built, for a
 * before/after column measured in the same sitting).
 */
export const REPO = treeArgument() ?? fileURLToPath(new URL('..', import.meta.url));
export const DB_BIN = join(REPO, 'packages/cli/bin/db.cjs');
export const CONFIG_BIN = join(REPO, 'packages/cli/bin/config.cjs');
export const EXPAND_BIN = join(REPO, 'packages/cli/bin/expand-template.cjs');
export const EVENT_BIN = join(REPO, 'packages/cli/bin/signal-event.cjs');
export const SMECONF_BIN = join(REPO, 'packages/cli/bin/smeconf.js');
/** `--quick`: the small sizes only (npm run bench:quick). */
export const QUICK = process.argv.includes('--quick');

function treeArgument() {
  const at = process.argv.indexOf('--tree');
  return at === -1 ? undefined : resolve(process.argv[at + 1] ?? '.');
}

/** A library module of the measured tree (e.g. 'db/dist/index.js'), imported. */
export function importPackage(path) {
  return import(pathToFileURL(join(REPO, 'packages', path)).href);
}

/** `label   12.3 ms  1.07× bare node` */
export function ratioLine(label, ms, bare, width = 52) {
  return `${label.padEnd(width)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / bare).toFixed(2)}× bare node`;
}

export function scratchRoot() {
  const root = mkdtempSync(join(tmpdir(), 'smeconf-bench-'));
  mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
  return { root, env: { ...process.env, SMECONF_ROOT: root, SMECONF_BACKEND: 'sqlite' }, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function runOrThrow(argv, env) {
  const result = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', maxBuffer: 2 ** 30 }); // exports of 100,000 records exceed the 1 MiB default
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function timeOnce(argv, env) {
  const start = process.hrtime.bigint();
  runOrThrow(argv, env);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs every command once per round, `rounds` times, interleaved so that a
 * slow moment of the machine hits them all alike. `commands` maps a label to
 * a function of the round number that returns [argv, env].
 */
export function medians(commands, rounds = 40) {
  const samples = Object.fromEntries(Object.keys(commands).map((label) => [label, []]));
  for (let round = -3; round < rounds; round++) {
    for (const [label, make] of Object.entries(commands)) {
      const [argv, env] = make(round);
      const ms = timeOnce(argv, env);
      if (round >= 0) samples[label].push(ms); // the first rounds warm the page cache
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([label, values]) => [label, median(values)]));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  // both sides of every ratio run with this environment; these change node's own start-up
  const env = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'].map((name) => `${name}=${process.env[name] ?? '(unset)'}`).join(' ');
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version} ${process.execArgv.join(' ') || '(no flags)'}, ${env}, tree ${REPO}, ${new Date().toISOString().slice(0, 10)}`;
}

/** An accounts-like SME flat file: `n` user records with 6 props each. */
export function accountsFile(n) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(`user${i}=user|FirstName|First ${i}|LastName|Last ${i}|PasswordSet|yes|Shell|/bin/bash|Uid|${5000 + i}|Gid|${5000 + i}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `n` domains records (`d<i>.example.com`, type domain, then `props` as raw
 * flat-file fields) imported into the scratch root's `domains` database.
 */
export function importDomains(root, env, n, props = 'letsencryptSSLcert|enabled') {
  const file = join(root, 'domains.flat');
  writeFileSync(file, Array.from({ length: n }, (_, i) => `d${i}.example.com=domain${props === '' ? '' : `|${props.replaceAll('{i}', String(i))}`}\n`).join(''));
  runOrThrow([process.execPath, SMECONF_BIN, 'import', 'domains', file], env);
}
