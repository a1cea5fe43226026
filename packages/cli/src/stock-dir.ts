import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The smeconf product directory (the stock templates/, templates-custom/,
 * templates.metadata/, templates-default/, events/ and db/ trees, and the
 * package.json whose version `--version` prints), found from a bin's own
 * location: the nearest directory at or above `from` whose package.json is
 * named "smeconf". That is the checkout's root for packages/cli/bin, and the
 * installed package's directory for an `npm install -g` or the Debian
 * package (docs/install.md). Costs one small read in those layouts, no stat
 * of the trees.
 */
export function findStockDir(from: string): string {
  // the two layouts first, one read each: packages/cli/bin of a checkout, node_modules/@smeconf/cli/bin of an install
  for (const dir of [join(from, '../../..'), join(from, '../../../..')]) if (isSmeconfPackage(join(dir, 'package.json'))) return dir;
  for (let dir = from; ; dir = dirname(dir)) {
    if (isSmeconfPackage(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(from, '../../..');
  }
}

function isSmeconfPackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'smeconf';
  } catch {
    return false;
  }
}
