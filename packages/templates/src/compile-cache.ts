import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { inspectPath, writeFileAtomic } from '@smeconf/files';
import { OWN_UID, giveUpCacheDir, usableCacheDir } from './cache-dir.ts';
import { findPerlBlock } from './perl-fragment.ts';
import type { PerlBlock } from './perl-fragment.ts';

/** A compiled fragment: its text for the data, `privateData` reaching helpers as `@…` (e.g. `@smeconf`). */
export type Compiled = (data: object, privateData?: object) => string;

/** The compile options every fragment gets (part of the cache key) and the options it runs with. */
export interface CompileSetup {
  readonly env: typeof Handlebars;
  readonly options: PrecompileOptions;
  readonly runtime?: RuntimeOptions;
}

type PrecompileOptions = Parameters<typeof Handlebars.precompile>[1];
type RuntimeOptions = Omit<Handlebars.RuntimeOptions, 'data'>;
type TemplateSpec = Parameters<typeof Handlebars.template>[0];
/** What Handlebars.template returns, with the step it repeats on every call (see setUpOnce). */
type Runnable = Handlebars.TemplateDelegate & { _setup(options: Handlebars.RuntimeOptions): void };

/**
 * Compiles fragments with one Handlebars environment, each text once per
 * compiler (by its text) and, given a cache directory, once per machine:
 * Handlebars' precompiled JavaScript is kept as `<dir>/<sha1 of the
 * source>.js` and revived in a few microseconds where compiling takes about
 * 0.3 ms a fragment. The directory holds code that runs, so it is used only
 * while no one else can write it (usableCacheDir: 0700, ours, repaired or
 * refused with a warning), and an entry runs only if it is a regular file
 * of ours that others cannot write and its first line holds the sha256 of
 * the rest (else it is recompiled and replaced). Without a directory the
 * same precompiled JavaScript is revived in memory: one way to a runnable
 * fragment. One compiler is made per expansion run (LoadCache) and handed
 * to the render: no module state.
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
    // a text without `{{` is its own output: nothing for Handlebars to do, nor to keep on disk
    const compiled = source.includes('{{') ? this.#handlebars(source) : () => source;
    this.#memory.set(source, compiled);
    return compiled;
  }

  #handlebars(source: string): Compiled {
    const cacheDir = this.#cacheDir;
    const onDisk = cacheDir !== undefined && usableCacheDir(cacheDir, this.#warn);
    const spec = onDisk ? fromDisk(source, this.#setup, cacheDir, this.#warn) : precompile(source, this.#setup);
    return setUpOnce(this.#setup.env.template(revive(spec)) as Runnable, this.#setup.runtime ?? {});
  }
}

/** Handlebars' precompiled JavaScript (source text) of a fragment. */
function precompile(source: string, setup: CompileSetup): string {
  // a copy: precompile adds its defaults to the options it is given (the cache key would change)
  return setup.env.precompile(source, { ...setup.options }) as unknown as string;
}

function revive(spec: string): TemplateSpec {
  // reviving Handlebars' own precompiled output (JavaScript source) as a function
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return (new Function(`return ${spec}`) as () => TemplateSpec)();
}

/**
 * Handlebars sets a template's environment up on every call: it merges the
 * environment's ~24 helpers into a new object, wrapping each, and rebuilds
 * its prototype-access rules (about half the time of a 10,000-domain
 * httpd.conf, where fragments run 200,000 times). What it sets up depends
 * only on the environment and the runtime options, the same for every call
 * of a compiler's fragments: it is set up once, here, and calls pass only
 * their data.
 */
function setUpOnce(template: Runnable, runtime: RuntimeOptions): Compiled {
  template._setup({ ...runtime });
  template._setup = () => {}; // what each call would redo
  return (data, privateData) => template(data, { data: privateData });
}

const HEADER = '// smeconf compiled fragment sha256=';

/** The precompiled JavaScript of a fragment, from the cache directory or compiled and stored there. */
function fromDisk(source: string, setup: CompileSetup, cacheDir: string, warn: (message: string) => void): string {
  const key = createHash('sha1').update(`${Handlebars.VERSION}\0${JSON.stringify(setup.options)}\0${source}`).digest('hex');
  const path = join(cacheDir, `${key}.js`);
  let spec = readEntry(path);
  if (spec === undefined) {
    spec = precompile(source, setup);
    try {
      // no fsync: an entry torn by a crash fails its hash and is compiled again
      writeFileAtomic(path, `${HEADER}${sha256(spec)}\n${spec}`, { mode: 0o600, durable: false });
    } catch (error) {
      giveUpCacheDir(cacheDir, warn, `cannot write ${path} (${(error as Error).message})`);
    }
  }
  return spec;
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
