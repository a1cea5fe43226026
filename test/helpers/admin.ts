import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { run } from './cli.ts';
import type { BinName, Scratch } from './cli.ts';

// An admin at a shell: an empty root and the commands as typed (tests of
// the walkthrough and of certificates on the real stack).

/** An empty directory as SMECONF_ROOT, the default backend, no service manager unless a record says so. */
export function emptyRoot(prefix: string): Scratch {
  const dir: TempDir = makeTempDir(prefix);
  chmodSync(dir.path, 0o755); // Apache's children (www-data) traverse it
  const env: NodeJS.ProcessEnv = { ...process.env, SMECONF_ROOT: dir.path, SMECONF_SERVICE_MANAGER: 'none' };
  delete env['SMECONF_BACKEND'];
  delete env['DBPATH'];
  return { ...dir, dbDir: join(dir.path, 'home/e-smith/db'), env };
}

/** The admin's command: exit 0 and nothing on stdout or stderr, as SME's. */
export function silent(scratch: Scratch, bin: BinName, ...args: string[]): void {
  const result = run(scratch, bin, args);
  assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', ''], `${bin} ${args.join(' ')}`);
}

/** The command's stdout; it must exit 0. */
export function stdout(scratch: Scratch, bin: BinName, ...args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}
