import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const BINS = {
  db: 'db.cjs',
  config: 'config.cjs',
  smeconf: 'smeconf.js',
  'expand-template': 'expand-template.cjs',
  'signal-event': 'signal-event.cjs',
} as const;

export type BinName = keyof typeof BINS;
export type BackendName = 'sqlite' | 'flatfile';
export const BACKENDS: readonly BackendName[] = ['sqlite', 'flatfile'];

export function binPath(name: BinName): string {
  return join(REPO, 'packages/cli/bin', BINS[name]);
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch SME root with its db directory, and the environment for the bins. */
export interface Scratch extends TempDir {
  readonly dbDir: string;
  readonly env: NodeJS.ProcessEnv;
}

export function makeScratch(backend: BackendName, extraEnv: NodeJS.ProcessEnv = {}): Scratch {
  const dir = makeTempDir('smeconf-e2e-');
  const dbDir = join(dir.path, 'home/e-smith/db');
  mkdirSync(dbDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, SMECONF_ROOT: dir.path, SMECONF_BACKEND: backend, ...extraEnv };
  delete env['DBPATH'];
  if (extraEnv['DBPATH'] !== undefined) env['DBPATH'] = extraEnv['DBPATH'];
  return { ...dir, dbDir, env };
}

/** Runs a bin the way a user does: a real process, real stdout and exit status. */
export function run(scratch: Scratch, bin: BinName, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const result = spawnSync(process.execPath, [binPath(bin), ...args], { env: { ...scratch.env, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: for tests that run many at once. */
export function runAsync(scratch: Scratch, bin: BinName, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath(bin), ...args], { env: scratch.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Writes a file under the scratch root (its directories made), with its mode; returns its full path. */
export function write(scratch: Scratch, path: string, text: string, mode = 0o644): string {
  const full = join(scratch.path, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  chmodSync(full, mode);
  return full;
}
