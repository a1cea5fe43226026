// Bundles each SME command (db/config, expand-template, signal-event) into
// one CommonJS file. Node 20 pays about 1 ms per ESM package resolution and
// more for ESM-to-CJS interop; one bundle keeps a `db getprop` within 1.25x
// of a bare `node` start (docs/decisions.md). The libraries and `smeconf`
// run from tsc's 1:1 output.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: {
    'db-bin': 'packages/cli/src/db/bin-entry.ts',
    'expand-bin': 'packages/cli/src/expand/bin-entry.ts',
    'event-bin': 'packages/cli/src/event/bin-entry.ts',
  },
  outdir: 'packages/cli/dist/bundle',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['source'],
  external: ['better-sqlite3'],
  sourcemap: true,
  logLevel: 'warning',
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
