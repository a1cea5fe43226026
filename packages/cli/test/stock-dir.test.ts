import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@smeconf/db/testing';
import { findStockDir } from '../src/stock-dir.ts';

describe('findStockDir: the stock trees from a bin’s own location', () => {
  it('is the checkout’s root for packages/cli/bin', () => {
    const bin = fileURLToPath(new URL('../bin', import.meta.url));
    assert.equal(findStockDir(bin), fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, ''));
  });

  it('is the installed package for node_modules/@smeconf/cli/bin inside it, wherever it is', () => {
    const tmp = makeTempDir();
    try {
      const product = join(tmp.path, 'lib/node_modules/smeconf');
      const bin = join(product, 'node_modules/@smeconf/cli/bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(product, 'package.json'), '{"name":"smeconf","version":"9.9.9"}');
      writeFileSync(join(product, 'node_modules/@smeconf/cli/package.json'), '{"name":"@smeconf/cli"}');
      assert.equal(findStockDir(bin), product);
    } finally {
      tmp.remove();
    }
  });
});
