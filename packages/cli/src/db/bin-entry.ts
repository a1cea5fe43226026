export { findStockDir } from '../stock-dir.ts';
import { processIo } from '../io.ts';
import { dbMain } from './main.ts';

// for scripts/bundle-hot-path.mjs, which runs it to make the bundle's code cache
export { dbMain };

/** What bin/db.cjs and bin/config.cjs run (from the hot-path bundle). */
export function runDbBin(stockDir: string, fixedDb?: string): void {
  const options = { env: process.env, stockDir, ...(fixedDb !== undefined && { fixedDb }) };
  void dbMain(process.argv.slice(2), processIo, options).then((status) => {
    process.exitCode = status;
  });
}
