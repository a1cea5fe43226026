// `signal-event --list` start-up with its hand parser (as shipped) and with
// a yargs parser in front of it (yargs bundled the way expand-template has
// it, configured as signal-event would need: halt at the event name so its
// arguments may start with `-`), as a ratio to a bare `node -e 0`
// (docs/decisions.md, issue #11 item 5). Both bundles are built here the
// way scripts/bundle-hot-path.mjs builds the shipped one.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, machine, medians, runOrThrow, scratchRoot } from './_measure.mjs';

// inside the repository, so that the external better-sqlite3 resolves
const out = join(REPO, 'node_modules/.cache/bench-signal-event-parser');
const YARGS_ENTRY = `
import yargs from 'yargs';
import { runEventBin as run } from './packages/cli/src/event/bin-entry.ts';
export function runEventBin(stockDir: string): void {
  const args = yargs()
    .scriptName('signal-event')
    .parserConfiguration({ 'halt-at-non-option': true })
    .option('dry-run', { type: 'boolean', default: false })
    .option('json', { type: 'boolean', default: false })
    .option('list', { type: 'boolean', default: false })
    .option('root', { type: 'string' })
    .strict()
    .help()
    .version('version', 'print the version', 'smeconf')
    .exitProcess(false)
    .parseSync(process.argv.slice(2));
  if (args['list'] !== true) throw new Error('the bench runs --list');
  run(stockDir);
}
`;

const common = {
  absWorkingDir: REPO, bundle: true, platform: 'node', format: 'cjs', target: 'node20', conditions: ['source'],
  external: ['better-sqlite3'], logLevel: 'warning', define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};
mkdirSync(out, { recursive: true });
await build({ ...common, entryPoints: [join(REPO, 'packages/cli/src/event/bin-entry.ts')], outfile: join(out, 'hand.cjs') });
await build({ ...common, stdin: { contents: YARGS_ENTRY, resolveDir: REPO, loader: 'ts', sourcefile: 'yargs-entry.ts' }, outfile: join(out, 'yargs.cjs') });
for (const name of ['hand', 'yargs']) {
  writeFileSync(join(out, `${name}-bin.cjs`), `require('./${name}.cjs').runEventBin(${JSON.stringify(REPO)});\n`);
}

const scratch = scratchRoot();
try {
  const list = (name) => () => [['node', join(out, `${name}-bin.cjs`), '--list'], scratch.env];
  if (runOrThrow(list('hand')()[0], scratch.env) !== runOrThrow(list('yargs')()[0], scratch.env)) throw new Error('the two parsers list differently');
  const m = medians({
    'node -e 0': () => [['node', '-e', '0'], scratch.env],
    'signal-event --list (hand parser)': list('hand'),
    'signal-event --list (yargs parser)': list('yargs'),
  });
  const base = m['node -e 0'];
  console.log(`machine: ${machine()}`);
  for (const [label, ms] of Object.entries(m)) console.log(`${label.padEnd(40)} ${ms.toFixed(1).padStart(6)} ms  ${(ms / base).toFixed(2)}x`);
} finally {
  scratch.remove();
  rmSync(out, { recursive: true, force: true });
}
