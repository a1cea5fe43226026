import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { makeTempDir } from '@smeconf/db/testing';
import { Compiler } from '../src/compile-cache.ts';
import type { CompileSetup } from '../src/compile-cache.ts';

const setup: CompileSetup = { env: Handlebars.create(), options: { strict: true } };
let serial = 0;
/** A fragment text no earlier test compiled (the cache directory is keyed by text). */
const fresh = () => `{{name}} ${Date.now()}-${serial++}\n`;

describe('compiled-fragment cache directory', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let cache: string;
  let warnings: string[];
  beforeEach(() => {
    dir = makeTempDir();
    cache = join(dir.path, 'cache');
    warnings = [];
  });
  afterEach(() => dir.remove());
  const compile = (source: string) => new Compiler(setup, cache, (w) => warnings.push(w)).compile(source);

  it('creates the directory 0700 and renders through it', () => {
    const source = fresh();
    assert.equal(compile(source)({ name: 'a' }), source.replace('{{name}}', 'a'));
    assert.equal(statSync(cache).mode & 0o7777, 0o700);
    assert.equal(readdirSync(cache).length, 1);
    assert.deepEqual(warnings, []);
  });

  it('repairs a directory writable by others: mode 0700, its old entries removed, a warning', () => {
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    writeFileSync(join(cache, 'planted.js'), 'planted');
    const source = fresh();
    assert.equal(compile(source)({ name: 'b' }), source.replace('{{name}}', 'b'));
    assert.equal(statSync(cache).mode & 0o7777, 0o700);
    assert.ok(!existsSync(join(cache, 'planted.js')));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /mode 0777.*0700/);
  });

  it('does not use a directory owned by someone else (compiles in memory, a warning)', function () {
    if (process.getuid?.() !== 0) this.skip();
    mkdirSync(cache, { mode: 0o700 });
    chownSync(cache, 4242, 4242);
    const source = fresh();
    assert.equal(compile(source)({ name: 'c' }), source.replace('{{name}}', 'c'));
    assert.deepEqual(readdirSync(cache), []);
    assert.match(warnings.join('\n'), /owned by uid 4242/);
  });

  it('does not follow a cache directory that is a symlink', () => {
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, cache);
    const source = fresh();
    assert.equal(compile(source)({ name: 'd' }), source.replace('{{name}}', 'd'));
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.match(warnings.join('\n'), /symbolic link/);
  });

  it('does not use a directory inside one that others may write (they could swap it)', () => {
    const loose = join(dir.path, 'loose');
    mkdirSync(loose);
    chmodSync(loose, 0o777);
    const inner = join(loose, 'cache');
    const source = fresh();
    assert.equal(new Compiler(setup, inner, (w) => warnings.push(w)).compile(source)({ name: 'h' }), source.replace('{{name}}', 'h'));
    assert.deepEqual(readdirSync(inner), []);
    assert.match(warnings.join('\n'), /inside .*loose, which others may write/);
  });

  it('does not follow a symlink planted at the temp name used before (<entry>.<pid>)', () => {
    mkdirSync(cache, { mode: 0o700 });
    const victim = join(dir.path, 'victim');
    writeFileSync(victim, 'victim text\n');
    const source = fresh();
    const key = createHash('sha1').update(`${Handlebars.VERSION}\0${JSON.stringify(setup.options)}\0${source}`).digest('hex');
    symlinkSync(victim, join(cache, `${key}.js.${process.pid}`));
    compile(source);
    assert.equal(readFileSync(victim, 'utf8'), 'victim text\n');
  });
});

describe('compiled-fragment cache entries', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let cache: string;
  beforeEach(() => {
    dir = makeTempDir();
    cache = join(dir.path, 'cache');
    mkdirSync(cache, { mode: 0o700 });
  });
  afterEach(() => dir.remove());
  const entryOf = (source: string) =>
    join(cache, `${createHash('sha1').update(`${Handlebars.VERSION}\0${JSON.stringify(setup.options)}\0${source}`).digest('hex')}.js`);
  const spec = (text: string) => `{"compiler":[8,">= 4.3.0"],"main":function(){return ${JSON.stringify(text)};},"useData":true}`;
  const signed = (body: string) => `// smeconf compiled fragment sha256=${createHash('sha256').update(body).digest('hex')}\n${body}`;

  it('recompiles an entry whose hash line does not match, and replaces it', () => {
    const source = fresh();
    writeFileSync(entryOf(source), spec('tampered\n'), { mode: 0o600 });
    assert.equal(new Compiler(setup, cache).compile(source)({ name: 'e' }), source.replace('{{name}}', 'e'));
    assert.match(readFileSync(entryOf(source), 'utf8'), /^\/\/ smeconf compiled fragment sha256=[0-9a-f]{64}\n\{"compiler"/);
  });

  it('recompiles an entry that others may write, even with a right hash line', () => {
    const source = fresh();
    writeFileSync(entryOf(source), signed(spec('tampered\n')));
    chmodSync(entryOf(source), 0o666);
    assert.equal(new Compiler(setup, cache).compile(source)({ name: 'f' }), source.replace('{{name}}', 'f'));
    assert.equal(statSync(entryOf(source)).mode & 0o777, 0o600);
  });

  it('runs a sound entry without compiling (the cache is used)', () => {
    const source = fresh();
    writeFileSync(entryOf(source), signed(spec('from the cache\n')), { mode: 0o600 });
    assert.equal(new Compiler(setup, cache).compile(source)({ name: 'g' }), 'from the cache\n');
  });
});

describe('compiled fragments at run time', () => {
  /** A Handlebars environment that counts how often its helpers are merged into a template's (Handlebars' per-call set-up). */
  function countingEnv() {
    const env = Handlebars.create();
    env.registerHelper('shout', (text: unknown) => String(text).toUpperCase());
    const counter = { merges: 0 };
    (env as { helpers: typeof env.helpers }).helpers = new Proxy(env.helpers, {
      ownKeys(target) {
        counter.merges++;
        return Reflect.ownKeys(target);
      },
    });
    return { env, counter };
  }

  it('sets a fragment up once (helpers merged, options applied), not on every call; each call still gets its own data', () => {
    const { env, counter } = countingEnv();
    const compiled = new Compiler({ env, options: { strict: true }, runtime: { allowProtoPropertiesByDefault: true } }).compile('{{shout name}} {{@tag}} {{inherited}}\n');
    const data = (name: string) => Object.assign(Object.create({ inherited: 'from the prototype' }) as object, { name });
    assert.equal(compiled(data('a'), { tag: 1 }), 'A 1 from the prototype\n');
    assert.equal(compiled(data('b'), { tag: 2 }), 'B 2 from the prototype\n');
    assert.equal(compiled(data('c'), { tag: 3 }), 'C 3 from the prototype\n');
    assert.equal(counter.merges, 1);
  });

  it('a text without {{ is its own output: nothing compiled, nothing stored in the cache directory', () => {
    const dir = makeTempDir();
    try {
      const cache = join(dir.path, 'cache');
      const { env, counter } = countingEnv();
      const text = `plain \\ text } { ${Date.now()}\n`;
      assert.equal(new Compiler({ env, options: { strict: true } }, cache).compile(text)({}), text);
      assert.deepEqual(existsSync(cache) ? readdirSync(cache) : [], []);
      assert.equal(counter.merges, 0);
    } finally {
      dir.remove();
    }
  });
});
