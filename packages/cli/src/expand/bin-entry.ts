export { findStockDir } from '../stock-dir.ts';
import { processIo } from '../io.ts';
import { expandMain } from './main.ts';

// for scripts/bundle-hot-path.mjs, which runs it to make the bundle's code cache
export { expandMain };

/** What bin/expand-template.cjs runs (from its bundle). */
export function runExpandBin(stockDir: string): void {
  void expandMain(process.argv.slice(2), processIo, { env: process.env, stockDir, color: process.stdout.isTTY === true }).then((status) => {
    process.exitCode = status;
  });
}
