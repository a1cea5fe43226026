export { findStockDir } from '../stock-dir.ts';
import { processIo } from '../io.ts';
import { eventMain } from './main.ts';

// for scripts/bundle-hot-path.mjs, which runs it to make the bundle's code cache
export { eventMain };

/** What bin/signal-event.cjs runs (from its bundle). */
export function runEventBin(stockDir: string): void {
  void eventMain(process.argv.slice(2), processIo, { env: process.env, stockDir, live: process.stderr.isTTY }).then((status) => {
    process.exitCode = status;
  });
}
