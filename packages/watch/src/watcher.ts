import { basename } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { Backend, ChangeEntry } from '@smeconf/db';
import { backendLoader, expandTargets, failureLines, planDiff, readsRecord } from '@smeconf/templates';
import type { Read, TemplateQueue } from '@smeconf/templates';
import { targetsOfChanges, targetsOfFile } from './affected.ts';
import { DbChanges } from './db-changes.ts';
import { discoverTargets } from './targets.ts';

export interface WatchOptions {
  readonly root: string;
  readonly queue: TemplateQueue;
  readonly eventDirs: readonly string[];
  /** The directory of the database files (the SQLite store or flat files). */
  readonly dbDir: string;
  readonly backend: Backend;
  /** Template paths to keep up to date; none: every target the trees define. */
  readonly paths: readonly string[];
  readonly dryRun: boolean;
  /** --event E: run this once per burst instead of writing files. */
  readonly signalEvent?: () => Promise<string>;
  readonly extraData?: Readonly<Record<string, unknown>>;
  readonly compileCacheDir?: string;
  /** The environment of metadata CHECK commands. */
  readonly checkEnv: NodeJS.ProcessEnv;
  readonly debounceMs?: number;
  readonly report: (report: WatchReport) => void;
}

export type WatchReport =
  | { readonly type: 'ready'; readonly targets: number; readonly ms: number }
  | { readonly type: 'written' | 'would-write'; readonly path: string; readonly diff: string; readonly check?: 'passed' }
  | { readonly type: 'failed'; readonly path: string; readonly problems: readonly string[] }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'event'; readonly output: string };

export interface Watching {
  close(): Promise<void>;
}

/**
 * Live mode: keeps targets in step with their fragments, metadata and the
 * databases. File events (inotify, no polling) are debounced; a burst
 * re-renders only the targets it affects: by path for fragment and metadata
 * changes, by recorded reads for database changes (from the change log).
 */
export async function startWatch(options: WatchOptions): Promise<Watching> {
  const started = performance.now();
  const state = new WatchState(options);
  await state.syncAll();
  const changes = new DbChanges(options.backend);
  await changes.start(state.databasesRead());
  // A layer created later (a first templates-custom fragment) must be seen:
  // the root's layers are created if missing (SME always has them).
  const layers = [...options.queue.templateDirs, ...options.queue.metadataDirs, ...options.queue.defaultDirs, ...options.eventDirs];
  for (const dir of layers) if (dir.startsWith(options.root)) mkdirSync(dir, { recursive: true });
  const treeDirs = layers.filter(existsSync);
  const trees = watch(treeDirs, { ignoreInitial: true });
  const dbFiles = watch(options.dbDir, { ignoreInitial: true, depth: 0 });
  const pendingFiles = new Set<string>();
  const pendingDbFiles = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pendingFiles];
      const dbNames = [...pendingDbFiles];
      pendingFiles.clear();
      pendingDbFiles.clear();
      // bursts run one after another; one that fails is reported and the watcher goes on
      running = running
        .then(() => state.burst(files, () => (dbNames.length > 0 ? changes.since(dbNames) : Promise.resolve([]))))
        .catch((error: unknown) => options.report({ type: 'failed', path: '(burst)', problems: [(error as Error).message] }));
    }, options.debounceMs ?? 100);
  };
  trees.on('all', (_event, path) => {
    pendingFiles.add(path);
    schedule();
  });
  // Every raw inotify event, not chokidar's 'change': a root writer's SQLite
  // fchown()s the -wal on open (an event with no new mtime, which chokidar
  // drops after a read moved the atime past the mtime), and chokidar then
  // throttles the commit's writes that follow within 5 ms: the change was
  // never reported. A needless burst costs one changesSince query.
  dbFiles.on('raw', (_event, path) => {
    if (typeof path !== 'string' || path === '') return;
    pendingDbFiles.add(basename(path));
    schedule();
  });
  await Promise.all([ready(trees), ready(dbFiles)]);
  options.report({ type: 'ready', targets: state.targets.length, ms: Math.round(performance.now() - started) });
  return {
    async close() {
      clearTimeout(timer);
      await Promise.all([trees.close(), dbFiles.close()]);
      await running;
    },
  };
}

function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve) => watcher.once('ready', () => resolve()));
}

class WatchState {
  readonly #options: WatchOptions;
  targets: string[];
  readonly #reads = new Map<string, readonly Read[]>();

  constructor(options: WatchOptions) {
    this.#options = options;
    this.targets = this.#discover();
  }

  #discover(): string[] {
    return this.#options.paths.length > 0 ? [...this.#options.paths] : discoverTargets(this.#options.queue, this.#options.eventDirs);
  }

  databasesRead(): Set<string> {
    return new Set([...this.#reads.values()].flatMap((reads) => reads.map((read) => read.db)));
  }

  async syncAll(): Promise<void> {
    await this.#render(this.targets, this.#options.signalEvent === undefined);
  }

  /** One debounced burst: the affected targets, re-rendered (or the event signalled). */
  async burst(files: readonly string[], dbChanges: () => Promise<ChangeEntry[]>): Promise<void> {
    if (files.length > 0 && this.#options.paths.length === 0) this.targets = this.#discover();
    const affected = new Set<string>();
    for (const file of files) targetsOfFile(file, this.#options.queue, this.targets).forEach((t) => affected.add(t));
    targetsOfChanges(await dbChanges(), this.#reads).forEach((t) => affected.add(t));
    if (affected.size === 0) return;
    if (this.#options.signalEvent !== undefined) {
      this.#options.report({ type: 'event', output: await this.#options.signalEvent() });
      await this.#render([...affected], false);
      return;
    }
    await this.#render([...affected].sort(), true);
  }

  /** Through expandTargets, as expand-template: CHECK, root confinement, warnings; each target on its own. */
  async #render(targets: readonly string[], write: boolean): Promise<void> {
    const { root, queue, backend, extraData, compileCacheDir, checkEnv, dryRun, report } = this.#options;
    const stored = readsRecord(backend);
    const outcomes = await expandTargets(targets, {
      root,
      queue,
      loadDb: backendLoader(backend),
      warn: (message) => report({ type: 'warning', message }),
      ...(extraData && { extraData }),
      ...(compileCacheDir && { compileCacheDir }),
      mode: !write ? 'render' : dryRun ? 'dry-run' : 'write',
      checkEnv,
      // the reads of its last render here, else those an expansion recorded: one render pass (the watcher records none)
      recordedReads: async (path) => this.#reads.get(path) ?? stored.recordedReads(path),
    });
    for (const { templatePath, rendered, plan, check, failure } of outcomes) {
      if (rendered !== undefined) this.#reads.set(templatePath, rendered.reads);
      if (failure !== undefined) report({ type: 'failed', path: templatePath, problems: failureLines(failure) });
      else if (plan !== undefined && plan.action !== 'unchanged' && plan.action !== 'absent') {
        report({ type: dryRun ? 'would-write' : 'written', path: plan.path, diff: planDiff(plan), ...(check && { check: 'passed' as const }) });
      }
    }
  }
}
