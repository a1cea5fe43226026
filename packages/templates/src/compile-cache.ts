import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { inspectPath, writeFileAtomic } from '@smeconf/files';
import { OWN_UID, giveUpCacheDir, usableCacheDir } from './cache-dir.ts';
import { findPerlBlock } from './perl-fragment.ts';
import type { PerlBlock } from './perl-fragment.ts';

type Compiled = Handlebars.TemplateDelegate;

/** The compile options every fragment gets; part of the cache key. */
export interface CompileSetup {
  readonly env: typeof Handlebars;
  readonly options: PrecompileOptions;
}

type PrecompileOptions = Parameters<typeof Handlebars.precompile>[1];

/**
 * Compiles fragments with one Handlebars environment, each text once per
 * compiler (by its text) and, given a cache directory, once per machine:
 * Handlebars' precompiled JavaScript is kept as `<dir>/<sha1 of the
 * source>.js` and revived in a few microseconds where compiling takes about
 * 0.3 ms a fragment. The directory holds code that runs, so it is used only
 * while no one else can write it (usableCacheDir: 0700, ours, repaired or
 * refused with a warning), and an entry runs only if it is a regular file
 * of ours that others cannot write and its first line holds the sha256 of
 * the rest (else it is recompiled and replaced). One compiler is made per
 * expansion run (LoadCache) and handed to the render: no module state.
 */
export class Compiler {
  readonly #memory = new Map<string, Compiled>();
  readonly #perl = new Map<string, PerlBlock | null>();
  readonly #setup: CompileSetup;
  readonly #cacheDir: string | undefined;
  readonly #warn: (message: string) => void;

  constructor(setup: CompileSetup, cacheDir?: string, warn: (message: string) => void = () => {}) {
    this.#setup = setup;
    this.#cacheDir = cacheDir;
    this.#warn = warn;
  }

  /** SME's Perl (Text::Template) in a fragment text, if any: looked for once per text, as compiling is. */
  perlBlock(source: string): PerlBlock | undefined {
    let found = this.#perl.get(source);
    if (found === undefined) this.#perl.set(source, (found = findPerlBlock(source) ?? null));
    return found ?? undefined;
  }

  compile(source: string): Compiled {
    const known = this.#memory.get(source);
    if (known !== undefined) return known;
    const cacheDir = this.#cacheDir;
    const onDisk = cacheDir !== undefined && usableCacheDir(cacheDir, this.#warn);
    const compiled = onDisk ? fromDisk(source, this.#setup, cacheDir, this.#warn) : this.#setup.env.compile(source, this.#setup.options);
    this.#memory.set(source, compiled);
    return compiled;
  }
}

const HEADER = '// smeconf compiled fragment sha256=';

function fromDisk(source: string, setup: CompileSetup, cacheDir: string, warn: (message: string) => void): Compiled {
  const key = createHash('sha1').update(`${Handlebars.VERSION}\0${JSON.stringify(setup.options)}\0${source}`).digest('hex');
  const path = join(cacheDir, `${key}.js`);
  let spec = readEntry(path);
  if (spec === undefined) {
    spec = setup.env.precompile(source, setup.options) as unknown as string; // its JavaScript source
    try {
      // no fsync: an entry torn by a crash fails its hash and is compiled again
      writeFileAtomic(path, `${HEADER}${sha256(spec)}\n${spec}`, { mode: 0o600, durable: false });
    } catch (error) {
      giveUpCacheDir(cacheDir, warn, `cannot write ${path} (${(error as Error).message})`);
    }
  }
  // reviving Handlebars' own precompiled output (JavaScript source) as a function
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const revive = new Function(`return ${spec}`) as () => Parameters<typeof Handlebars.template>[0];
  return setup.env.template(revive());
}

/** An entry's JavaScript, or undefined when it is missing or cannot be trusted. */
function readEntry(path: string): string | undefined {
  let entry;
  try {
    entry = inspectPath(path);
  } catch {
    return undefined;
  }
  if (entry.kind !== 'file' || entry.stats.uid !== OWN_UID || (entry.stats.mode & 0o022) !== 0) return undefined;
  const newline = entry.text.indexOf('\n');
  const spec = entry.text.slice(newline + 1);
  return newline > 0 && entry.text.slice(0, newline) === `${HEADER}${sha256(spec)}` ? spec : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
