import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import type { Io } from '../../src/io.ts';

/** The checkout: its stock db/, templates/ and events/ trees. */
export const STOCK_DIR = fileURLToPath(new URL('../../../..', import.meta.url));

/** An Io that keeps what a command writes. */
export interface CapturedIo extends Io {
  stdout: string;
  stderr: string;
}

export function captureIo(): CapturedIo {
  const io: CapturedIo = {
    stdout: '',
    stderr: '',
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
  };
  return io;
}

/** A scratch SME root with its home/e-smith/db directory. */
export interface TempRoot extends TempDir {
  readonly dbDir: string;
}

export function makeTempRoot(): TempRoot {
  const dir = makeTempDir('smeconf-cli-');
  const dbDir = join(dir.path, 'home/e-smith/db');
  mkdirSync(dbDir, { recursive: true });
  return { ...dir, dbDir };
}
