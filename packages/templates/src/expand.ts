import { ConfigDb } from '@smeconf/db';
import type { Backend, RecordData } from '@smeconf/db';
import { DataAccess, NOT_LOADED } from './data-access.ts';
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
import { fragmentCompiler, isModuleFragment, renderTemplate } from './render.ts';
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
  /**
   * What the previous render of a target read (deps.ts), if recorded: the
   * databases named are loaded before the first pass, so that it is the
   * only one. Only a hint: a read it lacks costs a second pass, no more.
   */
  readonly recordedReads?: (templatePath: string) => Promise<readonly Read[] | undefined>;
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
 * Renders one template path completely in memory, in one pass when it can:
 * the JavaScript fragments of the resolved template (sub-templates
 * included) and the databases its recorded reads name are loaded first. A
 * pass that meets a database not loaded yet stops there (NOT_LOADED, no
 * stack built), loads it and renders again: rendering is pure, so a repeat
 * is safe, and the last pass's reads are the target's.
 */
export async function renderTarget(
  templatePath: string,
  options: RenderOptions,
  cache: LoadCache = new LoadCache(),
  metadata: Metadata = targetMetadata(templatePath, options),
): Promise<RenderedTarget> {
  if (metadata.delete === true) return { templatePath, metadata, content: null, reads: [] };
  const source = metadata.templatePath ?? templatePath;
  const template = resolveFragments(options.queue, source, options.warn, cache.subTemplates);
  if (template === undefined) throw new TemplateError('E_TPL_NO_FRAGMENTS', `no templates were found for ${source}`);
  const recorded = (await options.recordedReads?.(templatePath)) ?? [];
  await cache.loadDbs(['configuration', ...recorded.map((read) => read.db)], options.loadDb);
  await cache.loadModules(moduleFragmentPaths(template));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const access = new DataAccess(cache.snapshot, { stopAtMissing: true });
    const context: RenderContext = {
      access,
      modules: cache.modules,
      missingModules: new Set(),
      problems: [],
      compiler: cache.compiler(options),
    };
    const data = Object.assign(access.configurationRoot(), options.extraData, metadata.moreData);
    const text = renderUntilMissing(template, data, context);
    // a fragment may have caught NOT_LOADED itself: what was missed counts all the same
    if (text === undefined || access.missing.size > 0 || context.missingModules.size > 0) {
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

/** A target's metadata (templates.metadata), its path refused first if it could leave the trees. */
export function targetMetadata(templatePath: string, options: Pick<RenderOptions, 'queue' | 'warn'>): Metadata {
  assertConfined(templatePath, 'template path');
  return readMetadata(options.queue.metadataDirs, templatePath, options.warn);
}

/** The render's text, or undefined when it stopped at a database not loaded yet. */
function renderUntilMissing(template: ResolvedTemplate, data: object, context: RenderContext): string | undefined {
  try {
    return renderTemplate(template, data, context);
  } catch (error) {
    if (error === NOT_LOADED) return undefined;
    throw error;
  }
}

/** Every JavaScript fragment a render of the template may call: its own and its sub-templates'. */
function moduleFragmentPaths(template: ResolvedTemplate, paths = new Set<string>()): Set<string> {
  for (const fragment of template.fragments) if (isModuleFragment(fragment)) paths.add(fragment.path);
  for (const sub of template.subs?.values() ?? []) moduleFragmentPaths(sub, paths);
  return paths;
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
    for (const path of paths) if (!this.modules.has(path)) this.modules.set(path, await importFragment(path));
  }
}
