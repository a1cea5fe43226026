import { ConfigDb } from '@smeconf/db';
import type { Backend, RecordData } from '@smeconf/db';
import { DataAccess } from './data-access.ts';
import type { Snapshot } from './data-access.ts';
import { applyFilters } from './filters.ts';
import type { FragmentModule } from './fragment-module.ts';
import { importFragment } from './import-fragment.ts';
import type { Metadata } from './metadata.ts';
import { readMetadata } from './metadata.ts';
import type { TemplateQueue } from './queue.ts';
import type { Read } from './reads.ts';
import { assertConfined } from './paths.ts';
import type { Compiler } from './compile-cache.ts';
import { fragmentCompiler, renderTemplate } from './render.ts';
import type { RenderContext } from './render.ts';
import { resolveFragments } from './resolve.ts';
import type { ResolvedTemplate } from './resolve.ts';
import { TemplateError, mergeProblems } from './template-error.ts';

export interface RenderOptions {
  readonly queue: TemplateQueue;
  /** Loads one database as key → record (a missing database is an empty map). */
  readonly loadDb: (db: string) => Promise<ReadonlyMap<string, RecordData>>;
  /** Messages that are not errors: skipped backup files, unknown metadata keys. */
  readonly warn: (message: string) => void;
  /** Values every fragment sees besides the configuration records (e.g. EVENT), under MORE_DATA. */
  readonly extraData?: Readonly<Record<string, unknown>>;
  /** Keeps compiled fragments between processes (see compileFragment). */
  readonly compileCacheDir?: string;
}

/** A target rendered in memory: what would be written, and what it read. */
export interface RenderedTarget {
  readonly templatePath: string;
  readonly metadata: Metadata;
  /** null when the metadata says DELETE. */
  readonly content: string | null;
  readonly reads: readonly Read[];
}

const MAX_PASSES = 16;

/** loadDb over one backend: a database's records as key → record (one connection for every database). */
export function backendLoader(backend: Backend): RenderOptions['loadDb'] {
  return async (name) => new Map((await new ConfigDb(backend, name).list()).map((record) => [record.key, record]));
}

/**
 * Renders one template path completely in memory. Databases and JavaScript
 * fragments are loaded on demand: a render that met one not loaded yet is
 * repeated once it is (rendering is pure, so a repeat is safe).
 */
export async function renderTarget(templatePath: string, options: RenderOptions, cache: LoadCache = new LoadCache()): Promise<RenderedTarget> {
  assertConfined(templatePath, 'template path');
  const metadata = readMetadata(options.queue.metadataDirs, templatePath, options.warn);
  if (metadata.delete === true) return { templatePath, metadata, content: null, reads: [] };
  const source = metadata.templatePath ?? templatePath;
  const template = resolveFragments(options.queue, source, options.warn, cache.subTemplates);
  if (template === undefined) throw new TemplateError('E_TPL_NO_FRAGMENTS', `no templates were found for ${source}`);
  await cache.loadDbs(['configuration'], options.loadDb);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const access = new DataAccess(cache.snapshot);
    const context: RenderContext = {
      access,
      modules: cache.modules,
      missingModules: new Set(),
      problems: [],
      compiler: cache.compiler(options),
    };
    const data = Object.assign(access.configurationRoot(), options.extraData, metadata.moreData);
    const text = renderTemplate(template, data, context);
    if (access.missing.size > 0 || context.missingModules.size > 0) {
      await cache.loadDbs(access.missing, options.loadDb);
      await cache.loadModules(context.missingModules);
      continue;
    }
    if (context.problems.length > 0) {
      const problems = mergeProblems(context.problems); // a sub-template's error once, not once per VirtualHost
      const count = problems.length;
      throw new TemplateError('E_TPL_RENDER', `template processing failed for ${templatePath}: ${count} error${count === 1 ? '' : 's'}`, { problems });
    }
    const content = applyFilters(text, metadata.filters ?? [], templatePath);
    return { templatePath, metadata, content, reads: [...access.reads.values()] };
  }
  throw new TemplateError('E_TPL_RENDER', `template processing failed for ${templatePath}: it kept naming databases or fragments that could not be loaded`);
}

/** Databases, JavaScript fragments, sub-templates and compiled fragments, loaded once per expansion run. */
export class LoadCache {
  readonly snapshot = new Map<string, ReadonlyMap<string, RecordData>>() as Map<string, ReadonlyMap<string, RecordData>> & Snapshot;
  readonly modules = new Map<string, FragmentModule>();
  /** Sub-templates by path (resolveFragments' memo). */
  readonly subTemplates = new Map<string, ResolvedTemplate | undefined>();
  #compiler: Compiler | undefined;

  /** The run's fragment compiler, made with the first render's cache directory and warn. */
  compiler(options: Pick<RenderOptions, 'compileCacheDir' | 'warn'>): Compiler {
    this.#compiler ??= fragmentCompiler(options.compileCacheDir, options.warn);
    return this.#compiler;
  }

  async loadDbs(names: Iterable<string>, loadDb: RenderOptions['loadDb']): Promise<void> {
    for (const name of names) if (!this.snapshot.has(name)) this.snapshot.set(name, await loadDb(name));
  }

  /** A fragment that cannot be loaded is kept as one that fails when rendered (see importFragment). */
  async loadModules(paths: Iterable<string>): Promise<void> {
    for (const path of paths) this.modules.set(path, await importFragment(path));
  }
}
