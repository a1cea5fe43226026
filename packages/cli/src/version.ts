import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `smeconf X.Y.Z`: what every bin's `--version` prints, the version of the
 * root package.json of the smeconf checkout or install (stockDir). Read
 * only when asked, so that the hot path never pays for it.
 */
export function versionLine(stockDir: string): string {
  const file = join(stockDir, 'package.json');
  try {
    const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    if (typeof version === 'string' && version !== '') return `smeconf ${version}`;
    return `smeconf (no version in ${file})`;
  } catch (error) {
    return `smeconf (cannot read ${file}: ${(error as Error).message})`;
  }
}
