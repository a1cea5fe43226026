// Bundles each SME command (db/config, expand-template, signal-event) into
// one CommonJS file. Node 20 pays about 1 ms per ESM package resolution and
// more for ESM-to-CJS interop; one bundle, better-sqlite3's JS included,
// and V8's code cache of each bundle keep a `db getprop` close to a bare
// `node` start and spare signal-event and expand-template most of their
// compiling (docs/decisions.md). `@smeconf/cli/letsencrypt`, which the
// stock event action S04 imports, is one ESM file too (dist/bundle/
// letsencrypt.mjs, the package's export) instead of ~40 through Node's
// loader. The libraries and `smeconf` run from tsc's 1:1 output.
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

/** Bundles with a code cache (loaded by bin/hot-bundle.cjs), each with the commands that warm it (below). */
const WARM_UPS = { 'db-bin': warmDb, 'event-bin': warmEvent, 'expand-bin': warmExpand };
const CACHED = Object.keys(WARM_UPS);
const BIN_DIR = join(root, 'packages/cli/bin');

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
  // the library S04 imports, by its package export; node's own ESM, nothing else to load
  const letsencrypt = await build({
    absWorkingDir: root,
    entryPoints: { letsencrypt: 'packages/cli/src/letsencrypt/index.ts' },
    outdir: bundleDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(bundleDir, { recursive: true });
  for (const { path, contents } of letsencrypt.outputFiles) writeFileSync(path, contents);
  for (const { path, contents, text: built } of outputFiles) {
    if (!path.endsWith('.cjs')) {
      writeFileSync(path, contents); // the source maps
      continue;
    }
    const name = basename(path, '.cjs');
    const text = importThroughLoader(built, name);
    // a cached bundle ends with the id that pairs it with its cache (bin/hot-bundle.cjs)
    const id = CACHED.includes(name) ? `${ID_MARK}${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n` : '';
    writeFileSync(path, text + id);
  }
  for (const name of CACHED) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--code-cache', name], { stdio: 'inherit', env });
    if (run.status !== 0) throw new Error(`writing the code cache of ${name} failed`);
  }
}

/**
 * Each `await import(` of a bundle becomes a call of the loader's
 * `__smeconfImport` (bin/hot-bundle.cjs): code V8 takes from a cache has
 * lost what import() needs. Any other form of import() fails the build.
 */
function importThroughLoader(text, name) {
  const rewritten = text.replaceAll('await import(', 'await __smeconfImport(');
  if (/\bimport\(/.test(rewritten)) throw new Error(`${name}.cjs: an import() not written \`await import(…)\`, which bin/hot-bundle.cjs cannot serve`);
  return rewritten;
}

/**
 * In a fresh node with no flags (V8 rejects a cache made under other
 * flags): the bundle's hot path on a scratch sqlite root, then its cache.
 */
async function writeCodeCache(name) {
  let script;
  let id;
  const bin = loadHotBundle(name, (compiled, buildId) => ([script, id] = [compiled, buildId]));
  if (id === undefined) throw new Error(`${name}.cjs has no build id`);
  const scratch = mkdtempSync(join(tmpdir(), 'smeconf-code-cache-'));
  try {
    mkdirSync(join(scratch, 'home/e-smith/db'), { recursive: true });
    const env = { PATH: process.env.PATH, SMECONF_ROOT: scratch, SMECONF_BACKEND: 'sqlite', SMECONF_SERVICE_MANAGER: 'none' };
    await WARM_UPS[name](bin, { env, options: { env, stockDir: root } });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(join(bundleDir, `${name}.cjs.cache`), Buffer.concat([Buffer.from(`${id}\n`), script.createCachedData()]));
}

/** Runs a bundle's main with `argv`; throws with what it printed unless it exits 0. */
async function runMain(main, argv, options) {
  let printed = '';
  const io = { out: (text) => void (printed += text), err: (text) => void (printed += text) };
  if ((await main(argv, io, options)) !== 0) throw new Error(`${argv.join(' ')} failed while warming the code cache: ${printed}`);
}

/** A bin of this build run in the scratch root (to set it up for another bundle's warm-up). */
function runBin(bin, argv, env) {
  const run = spawnSync(process.execPath, [join(BIN_DIR, bin), ...argv], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${bin} ${argv.join(' ')} failed while warming the code cache: ${run.stderr}`);
}

/** The stock databases initialised (the event bundle, spawned) and a few domains: what the stock templates render. */
function stockRoot(env) {
  runBin('signal-event.cjs', ['bootstrap-console-save'], env);
  for (const domain of ['a.example.org', 'b.example.org', 'c.example.org']) runBin('db.cjs', ['domains', 'set', domain, 'domain', 'letsencryptSSLcert', 'enabled'], env);
}

/** set, setprop and getprop: the hot path of db/config. */
async function warmDb(bin, { options }) {
  for (const argv of [['configuration', 'set', 'sshd', 'service'], ['configuration', 'setprop', 'sshd', 'TCPPort', '22'], ['configuration', 'getprop', 'sshd', 'TCPPort']]) {
    await runMain(bin.dbMain, argv, options);
  }
}

/** console-save after a change (renders, writes), then with nothing changed (the hot path). */
async function warmEvent(bin, { env, options }) {
  stockRoot(env);
  for (let run = 0; run < 2; run++) await runMain(bin.eventMain, ['console-save'], options);
}

/** expand-template of the stock httpd.conf, unchanged the second time. */
async function warmExpand(bin, { env, options }) {
  stockRoot(env);
  for (let run = 0; run < 2; run++) await runMain(bin.expandMain, ['/etc/httpd/conf/httpd.conf'], options);
}
