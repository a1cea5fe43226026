// Bundles each SME command (db/config, expand-template, signal-event) into
// one CommonJS file. Node 20 pays about 1 ms per ESM package resolution and
// more for ESM-to-CJS interop; one bundle, better-sqlite3's JS included,
// and V8's code cache for the db/config bundle keep a `db getprop` close to
// a bare `node` start (docs/decisions.md). The libraries and `smeconf` run
// from tsc's 1:1 output.
//
// `--code-cache NAME` (run by this script in a fresh node) loads the bundle
// through bin/hot-bundle.cjs, runs the commands whose functions the cache
// should hold, and writes dist/bundle/NAME.cjs.cache.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundleDir = join(root, 'packages/cli/dist/bundle');
const { loadHotBundle, ID_MARK } = createRequire(import.meta.url)(join(root, 'packages/cli/bin/hot-bundle.cjs'));

/** Bundles with a code cache (loaded by bin/hot-bundle.cjs). */
const CACHED = ['db-bin'];

/**
 * `node:module` loaded when createRequire is first called, not when the
 * module importing it (open-store.ts) starts: loading it also loads Node's
 * ESM loader, ~0.3 ms of a `db getprop` that passes the addon's path. Any
 * other import from it fails the build (no such export).
 */
const lazyNodeModule = {
  name: 'lazy-node-module',
  setup(build) {
    build.onResolve({ filter: /^node:module$/ }, (args) => (args.namespace === 'lazy-node-module' ? { path: 'node:module', external: true } : { path: 'node:module', namespace: 'lazy-node-module' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-node-module' }, () => ({
      contents: "export function createRequire(from) { return require('node:module').createRequire(from); }",
      loader: 'js',
    }));
  },
};

const at = process.argv.indexOf('--code-cache');
if (at === -1) await bundleAll();
else await writeCodeCache(process.argv[at + 1]);

async function bundleAll() {
  for (const name of CACHED) rmSync(join(bundleDir, `${name}.cjs.cache`), { force: true });
  const { outputFiles } = await build({
    absWorkingDir: root,
    entryPoints: {
      'db-bin': 'packages/cli/src/db/bin-entry.ts',
      'expand-bin': 'packages/cli/src/expand/bin-entry.ts',
      'event-bin': 'packages/cli/src/event/bin-entry.ts',
    },
    outdir: bundleDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['source'],
    // better-sqlite3's JS is bundled too (13 files fewer through Node's loader);
    // its addon is loaded by path (open-store.ts), so `bindings` is never called
    external: ['bindings'],
    sourcemap: true,
    logLevel: 'warning',
    write: false,
    plugins: [lazyNodeModule],
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  });
  mkdirSync(bundleDir, { recursive: true });
  for (const { path, contents } of outputFiles) {
    const name = basename(path, '.cjs');
    // a cached bundle ends with the id that pairs it with its cache (bin/hot-bundle.cjs)
    const id = CACHED.includes(name) ? `${ID_MARK}${createHash('sha256').update(contents).digest('hex').slice(0, 16)}\n` : '';
    writeFileSync(path, id === '' ? contents : Buffer.concat([contents, Buffer.from(id)]));
  }
  for (const name of CACHED) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--code-cache', name], { stdio: 'inherit', env });
    if (run.status !== 0) throw new Error(`writing the code cache of ${name} failed`);
  }
}

/**
 * In a fresh node with no flags (V8 rejects a cache made under other
 * flags): set, setprop and getprop on a scratch sqlite store, the hot path.
 */
async function writeCodeCache(name) {
  let script;
  let id;
  const bin = loadHotBundle(name, (compiled, buildId) => ([script, id] = [compiled, buildId]));
  if (id === undefined) throw new Error(`${name}.cjs has no build id`);
  const scratch = mkdtempSync(join(tmpdir(), 'smeconf-code-cache-'));
  try {
    mkdirSync(join(scratch, 'home/e-smith/db'), { recursive: true });
    const options = { env: { SMECONF_ROOT: scratch, SMECONF_BACKEND: 'sqlite' }, stockDir: root };
    let errors = '';
    const io = { out: () => {}, err: (text) => void (errors += text) };
    for (const argv of [['configuration', 'set', 'sshd', 'service'], ['configuration', 'setprop', 'sshd', 'TCPPort', '22'], ['configuration', 'getprop', 'sshd', 'TCPPort']]) {
      if ((await bin.dbMain(argv, io, options)) !== 0) throw new Error(`db ${argv.join(' ')} failed while warming the code cache: ${errors}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(join(bundleDir, `${name}.cjs.cache`), Buffer.concat([Buffer.from(`${id}\n`), script.createCachedData()]));
}
