import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';

const LOADER = fileURLToPath(new URL('../bin/hot-bundle.cjs', import.meta.url));
const { ID_MARK } = createRequire(import.meta.url)(LOADER) as { ID_MARK: string };

/** Runs `code` in a fresh node (no test flags: V8 checks them against the cache's). */
function freshNode(code: string): string {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const run = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

describe('bin/hot-bundle.cjs: a bundle with its V8 code cache', () => {
  for (const name of ['db-bin', 'event-bin', 'expand-bin']) {
    it(`the ${name} bundle built by scripts/bundle-hot-path.mjs has a cache this node accepts`, () => {
      const out = freshNode(`let s; require(${JSON.stringify(LOADER)}).loadHotBundle('${name}', (x) => (s = x)); console.log(s.cachedDataRejected)`);
      assert.equal(out, 'false\n');
    });
  }

  describe('a cache is used only beside the bundle it was made for', () => {
    let tmp: TempDir;
    let bundle: string;
    beforeEach(() => {
      tmp = makeTempDir('smeconf-hot-bundle-');
      mkdirSync(join(tmp.path, 'bin'));
      mkdirSync(join(tmp.path, 'dist/bundle'), { recursive: true });
      copyFileSync(LOADER, join(tmp.path, 'bin/hot-bundle.cjs'));
      bundle = join(tmp.path, 'dist/bundle/x.cjs');
    });
    afterEach(() => tmp.remove());

    const load = () => freshNode(`let s; const x = require(${JSON.stringify(join(tmp.path, 'bin/hot-bundle.cjs'))}).loadHotBundle('x', (c) => (s = c)); console.log(x.answer, s.cachedDataRejected)`);

    it('import() as the build writes it (`await __smeconfImport(`) works in code V8 took from the cache', () => {
      writeFileSync(bundle, `exports.load = async (url) => (await __smeconfImport(url)).answer;${ID_MARK}aaaa\n`);
      const module = join(tmp.path, 'answer.mjs');
      writeFileSync(module, 'export const answer = 42;\n');
      const run = (makeCache: string) =>
        freshNode(
          `let s; const x = require(${JSON.stringify(join(tmp.path, 'bin/hot-bundle.cjs'))}).loadHotBundle('x', (c) => (s = c)); ${makeCache}` +
            `x.load(${JSON.stringify(pathToFileURL(module).href)}).then((a) => console.log(a, s.cachedDataRejected));`,
        );
      assert.equal(run(`require('node:fs').writeFileSync(${JSON.stringify(`${bundle}.cache`)}, Buffer.concat([Buffer.from('aaaa\\n'), s.createCachedData()]));`), '42 undefined\n');
      assert.equal(run(''), '42 false\n');
    });

    it('another build id: compiled as usual, the cache not even offered to V8', () => {
      writeFileSync(bundle, `exports.answer = 42;${ID_MARK}aaaa\n`);
      writeFileSync(`${bundle}.cache`, 'bbbb\nnot a cache');
      assert.equal(load(), '42 undefined\n');
    });

    it('the same build id but bytes V8 rejects (another node): compiled as usual', () => {
      writeFileSync(bundle, `exports.answer = 42;${ID_MARK}aaaa\n`);
      writeFileSync(`${bundle}.cache`, 'aaaa\nnot a cache');
      assert.equal(load(), '42 true\n');
    });

    it('no build id in the bundle: compiled as usual, the cache not offered', () => {
      writeFileSync(bundle, 'exports.answer = 42;\n');
      writeFileSync(`${bundle}.cache`, 'aaaa\nnot a cache');
      assert.equal(load(), '42 undefined\n');
    });
  });
});
