'use strict';
// Loads a hot-path bundle (dist/bundle/NAME.cjs) the way Node loads a
// CommonJS file, with V8's code cache made for it at build time
// (scripts/bundle-hot-path.mjs): V8 then neither parses nor compiles the
// functions a `db getprop` runs. The cache is used only when its first line
// names the build id the bundle ends with (V8 itself checks no more than
// the source's length); without it, or when V8 rejects it (another Node),
// the bundle is compiled as usual.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const ID_MARK = '\n//# smeconf-build ';

/** The bundle's exports; `keep` (the build) receives the compiled Script and the bundle's build id. */
function loadHotBundle(name, keep) {
  const dir = join(__dirname, '../dist/bundle');
  const file = join(dir, `${name}.cjs`);
  const source = readFileSync(file, 'utf8');
  const id = buildId(source);
  const script = new Script(wrap(source), { filename: file, cachedData: matchingCache(`${file}.cache`, id) });
  const module = { exports: {} };
  // the bundle needs only built-ins and absolute paths (the addon), which any require resolves
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dir, importFile);
  if (keep !== undefined) keep(script, id);
  return module.exports;
}

/**
 * The bundle's import() (event handlers, JavaScript fragments): the build
 * rewrites each `await import(` into a call of this (scripts/bundle-hot-path.mjs).
 * Code V8 takes from a cache in a vm.Script has lost what import() needs
 * (Node 20: "A dynamic import callback was not specified"); this file is
 * loaded by Node itself.
 */
function importFile(specifier) {
  return import(specifier);
}

/** Node's CommonJS wrapper, plus importFile, on the first line so that line numbers stay. */
function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname, __smeconfImport) { ${source}\n})`;
}

function buildId(source) {
  const at = source.lastIndexOf(ID_MARK);
  return at === -1 ? undefined : source.slice(at + ID_MARK.length).trim();
}

/** The cache file is `ID\n` then V8's bytes. */
function matchingCache(file, id) {
  if (id === undefined) return undefined;
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const header = `${id}\n`;
  return bytes.toString('latin1', 0, header.length) === header ? bytes.subarray(header.length) : undefined;
}

module.exports = { loadHotBundle, ID_MARK };
