// Lays out the installed smeconf product in a directory: what `npm install -g`
// of the packed tarball and the Debian package put on a server
// (docs/install.md, docs/decisions.md "Installs anywhere").
//
//   package.json                 name "smeconf": the bins find this directory by it
//   templates/ templates-custom/ templates.metadata/ templates-default/ events/ db/
//   node_modules/@smeconf/*      the workspace packages, built (package.json + dist/, cli's bin/)
//   node_modules/<dependency>    their runtime dependencies, copied from this checkout,
//                                better-sqlite3 with the addon compiled here and no
//                                install script: installing needs no network and no compiler
//
// Run `npm run build` first. Everything comes from this checkout's files.
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const checkout = fileURLToPath(new URL('..', import.meta.url));
export const stockTrees = ['templates', 'templates-custom', 'templates.metadata', 'templates-default', 'events', 'db'];
const rootPackage = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'));
export const version = rootPackage.version;

/**
 * Stages the product into `dest` (emptied first) and returns its package.json.
 * The events trees link handlers and services (S00x -> ../actions/x.mjs,
 * httpd-e-smith -> restart): kept as links for the Debian package; with
 * `linksAsList`, as npm can carry no link, listed in links.json instead and
 * made again by the package's postinstall (restore-links.cjs).
 */
export function stageProduct(dest, { linksAsList = false } = {}) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const tree of stockTrees) cpSync(join(checkout, tree), join(dest, tree), { recursive: true, verbatimSymlinks: true });
  if (linksAsList) {
    writeFileSync(join(dest, 'links.json'), `${JSON.stringify(listLinks(dest), null, 1)}\n`);
    cpSync(join(checkout, 'scripts/restore-links.cjs'), join(dest, 'restore-links.cjs'));
  }
  cpSync(join(checkout, 'README.md'), join(dest, 'README.md'));
  const workspaces = rootPackage.workspaces.map((dir) => join(checkout, dir));
  const names = workspaces.map((dir) => stageWorkspace(dir, dest));
  const copied = new Set();
  for (const dir of workspaces) copyDependencies(dir, dest, copied);
  const cliBins = readJson(join(checkout, 'packages/cli/package.json')).bin;
  const manifest = {
    name: 'smeconf',
    version,
    description: rootPackage.description,
    engines: { node: `${rootPackage.engines.node} <${Number(process.versions.node.split('.')[0]) + 1}` }, // the addon's ABI
    bin: Object.fromEntries(Object.entries(cliBins).map(([bin, file]) => [bin, join('node_modules/@smeconf/cli', file)])),
    dependencies: Object.fromEntries(names.map((name) => [name, version])),
    bundleDependencies: names,
    ...(linksAsList && { scripts: { postinstall: 'node restore-links.cjs' } }),
  };
  writeFileSync(join(dest, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function stageWorkspace(dir, dest) {
  const manifest = readJson(join(dir, 'package.json'));
  const target = join(dest, 'node_modules', manifest.name);
  if (!existsSync(join(dir, 'dist'))) throw new Error(`${dir}/dist is missing: run npm run build first`);
  mkdirSync(target, { recursive: true });
  cpSync(join(dir, 'dist'), join(target, 'dist'), { recursive: true, filter: (file) => !file.endsWith('.tsbuildinfo') });
  if (existsSync(join(dir, 'bin'))) cpSync(join(dir, 'bin'), join(target, 'bin'), { recursive: true });
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest.name;
}

/**
 * Copies the runtime dependencies of the package in `dir` (in this checkout),
 * found as Node finds them: a hoisted one to node_modules/<name>, a nested one
 * came with the package that holds it.
 */
function copyDependencies(dir, dest, copied) {
  const manifest = readJson(join(dir, 'package.json'));
  const runtime = manifest.name === 'better-sqlite3' ? ['bindings'] : Object.keys(manifest.dependencies ?? {});
  for (const name of runtime) {
    if (name.startsWith('@smeconf/')) continue;
    const found = resolvePackage(dir, name);
    if (copied.has(found)) continue;
    copied.add(found);
    if (found === join(checkout, 'node_modules', name)) {
      if (name === 'better-sqlite3') copyBetterSqlite(found, join(dest, 'node_modules', name));
      else cpSync(found, join(dest, 'node_modules', name), { recursive: true });
    }
    copyDependencies(found, dest, copied);
  }
}

function resolvePackage(from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${name} from ${from}: run npm ci first`);
  }
}

/** The addon built by `npm ci` here; no sources, no binding.gyp, no install script (npm would rebuild it). */
function copyBetterSqlite(from, target) {
  mkdirSync(join(target, 'build/Release'), { recursive: true });
  cpSync(join(from, 'lib'), join(target, 'lib'), { recursive: true });
  cpSync(join(from, 'LICENSE'), join(target, 'LICENSE'));
  cpSync(join(from, 'build/Release/better_sqlite3.node'), join(target, 'build/Release/better_sqlite3.node'));
  const manifest = readJson(join(from, 'package.json'));
  delete manifest.scripts;
  delete manifest.devDependencies;
  delete manifest.gypfile;
  manifest.dependencies = { bindings: manifest.dependencies.bindings };
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** [path, target] of each link under `dest`, removed. */
function listLinks(dest) {
  const links = [];
  for (const tree of stockTrees) {
    for (const path of readdirSync(join(dest, tree), { recursive: true })) {
      const full = join(dest, tree, path);
      if (!lstatSync(full).isSymbolicLink()) continue;
      links.push([join(tree, path), readlinkSync(full)]);
      rmSync(full);
    }
  }
  return links.sort(([a], [b]) => (a < b ? -1 : 1));
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
