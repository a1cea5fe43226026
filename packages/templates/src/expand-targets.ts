import { lstatSync } from 'node:fs';
import { isToolError } from '@smeconf/errors';
import { runCheck } from './check.ts';
import type { CheckResult } from './check.ts';
import { LoadCache, renderTarget, targetMetadata } from './expand.ts';
import type { RenderOptions, RenderedTarget } from './expand.ts';
import type { Metadata } from './metadata.ts';
import { confineOutput } from './paths.ts';
import type { Read } from './reads.ts';
import { TemplateError, formatProblem } from './template-error.ts';
import { commitStaged, discardStaged, planWrite, stageWrite } from './write.ts';
import type { StagedWrite, WritePlan } from './write.ts';

/** write: carry the plans out; dry-run: stage and check, then discard; render: only render (no plan, no check). */
export type ExpandMode = 'write' | 'dry-run' | 'render';

export interface ExpandTargetsOptions extends RenderOptions {
  /** SMECONF_ROOT: every output resolves inside it (E_TPL_PATH otherwise). */
  readonly root: string;
  /** Where a target goes when its metadata names no OUTPUT_FILENAME (expand-template --output_filename). */
  readonly outputFilename?: string | undefined;
  readonly mode: ExpandMode;
  /** Every target or none (an event's expand step); otherwise each target on its own. */
  readonly allOrNothing?: boolean;
  /** The environment CHECK commands run with. */
  readonly checkEnv: NodeJS.ProcessEnv;
  /** Records what a target read. Called before anything is swapped in: when it fails, nothing is written. */
  readonly saveReads?: (templatePath: string, reads: readonly Read[]) => Promise<void>;
  readonly cache?: LoadCache;
}

/** Why a target failed: lines to show first (fragment problems, a check's output), then the error. */
export interface TargetFailure {
  readonly details: readonly string[];
  readonly error: unknown;
}

export interface TargetOutcome {
  readonly templatePath: string;
  readonly rendered?: RenderedTarget;
  readonly plan?: WritePlan;
  /** The CHECK's verdict on the staged file (or on the file in place when unchanged). */
  readonly check?: CheckResult;
  /** The plan was carried out (written, deleted, or nothing to do). */
  readonly done: boolean;
  readonly failure?: TargetFailure;
}

interface Work {
  readonly templatePath: string;
  /** The CHECK of the file in place, started before the render (see checkInPlace). */
  early?: EarlyCheck | undefined;
  rendered?: RenderedTarget;
  plan?: WritePlan;
  staged?: StagedWrite;
  check?: CheckResult;
  done: boolean;
  failure?: TargetFailure;
}

/**
 * The one expansion pipeline of expand-template, events and the watcher:
 * render in memory, resolve the output inside the root, plan, stage beside
 * the target, run the metadata CHECK (on the staged file, or on the file in
 * place when it is unchanged), record the reads, then swap in. A failure at
 * any step leaves the target (with allOrNothing: every target) untouched.
 */
export async function expandTargets(paths: readonly string[], options: ExpandTargetsOptions): Promise<TargetOutcome[]> {
  const cache = options.cache ?? new LoadCache();
  if (options.allOrNothing === true) return expandGroup(paths, options, cache);
  const outcomes: TargetOutcome[] = [];
  for (const path of paths) outcomes.push(...(await expandGroup([path], options, cache)));
  return outcomes;
}

/** A failure as the lines a user sees: its details, then `message [E_CODE]`. */
export function failureLines(failure: TargetFailure): string[] {
  const { error } = failure;
  const last = isToolError(error) ? `${error.message} [${error.code}]` : `internal error: ${error instanceof Error ? error.message : String(error)} [E_INTERNAL]`;
  return [...failure.details, last];
}

async function expandGroup(paths: readonly string[], options: ExpandTargetsOptions, cache: LoadCache): Promise<Work[]> {
  const group: Work[] = [];
  try {
    for (const templatePath of paths) group.push(await prepare(templatePath, options, cache));
    return await carryOut(group, options);
  } finally {
    // no CHECK started early outlives the run, whatever became of its target
    await Promise.all(group.flatMap((work) => (work.early === undefined ? [] : [work.early.result])));
  }
}

async function carryOut(group: Work[], options: ExpandTargetsOptions): Promise<Work[]> {
  if (options.mode === 'render' || failed(group)) return group;
  try {
    for (const work of group) await attempt(work, () => stage(work, options));
    if (!failed(group)) for (const work of group) await check(work, options);
    if (options.mode === 'dry-run' || failed(group)) return group;
    for (const work of group) if (!failed(group)) await attempt(work, () => options.saveReads?.(work.templatePath, work.rendered!.reads));
    for (const work of group) {
      if (failed(group)) break; // a rename that failed: the rest stay unwritten
      await attempt(work, () => {
        if (work.staged !== undefined) commitStaged(work.staged);
        work.done = true;
      });
    }
    return group;
  } finally {
    for (const work of group) if (work.staged !== undefined && !work.done) discardStaged(work.staged);
  }
}

async function prepare(templatePath: string, options: ExpandTargetsOptions, cache: LoadCache): Promise<Work> {
  const work: Work = { templatePath, done: false };
  await attempt(work, async () => {
    const metadata = targetMetadata(templatePath, options);
    if (options.mode !== 'render') work.early = checkInPlace(templatePath, metadata, options);
    const rendered = await renderTarget(templatePath, options, cache, metadata);
    work.rendered = rendered;
    if (options.mode === 'render') return;
    const output = confineOutput(options.root, rendered.metadata.outputFilename ?? options.outputFilename ?? templatePath);
    work.plan = planWrite(output, rendered.content, rendered.metadata);
  });
  return work;
}

function stage(work: Work, options: ExpandTargetsOptions): void {
  const staged = stageWrite(work.plan!, options.warn);
  if (staged !== undefined) work.staged = staged;
}

async function check(work: Work, options: ExpandTargetsOptions): Promise<void> {
  const plan = work.plan!;
  const file = work.staged?.temp ?? (plan.action === 'unchanged' ? plan.path : null);
  if (plan.metadata.check === undefined || file === null) return; // a delete, or nothing there
  const early = plan.action === 'unchanged' ? await earlyVerdict(work.early, plan.path) : undefined;
  const result = early ?? (await runCheck(plan.metadata.check, file, options.checkEnv));
  work.check = result;
  if (result.ok) return;
  const why = plan.action === 'unchanged' ? 'the file in place fails its check' : options.mode === 'dry-run' ? 'it would not be written' : 'nothing written';
  work.failure = {
    details: result.output.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1),
    error: new TemplateError('E_TPL_CHECK', `check of ${plan.path} failed (${result.command}): ${why}`),
  };
}

/** A CHECK run on the file in place, and the file as it was when the check began. */
interface EarlyCheck {
  readonly path: string;
  readonly identity: string;
  readonly result: Promise<CheckResult>;
}

/**
 * The CHECK of the file in place, started before the render so that it runs
 * beside it (apache2 -t on a large httpd.conf costs about as much as the
 * render): when the target turns out unchanged, the file in place is what
 * must be checked, and its verdict is already there. Only where a CHECK
 * would run on it: a regular file at the output, a target not deleted.
 */
function checkInPlace(templatePath: string, metadata: Metadata, options: ExpandTargetsOptions): EarlyCheck | undefined {
  if (metadata.check === undefined || metadata.delete === true) return undefined;
  let path: string;
  try {
    path = confineOutput(options.root, metadata.outputFilename ?? options.outputFilename ?? templatePath);
  } catch {
    return undefined; // reported by the write plan, after the render
  }
  const identity = fileIdentity(path);
  if (identity === undefined) return undefined;
  return { path, identity, result: runCheck(metadata.check, path, options.checkEnv) };
}

/** The early CHECK's verdict, if it checked this file as it is now (else the check runs again). */
async function earlyVerdict(early: EarlyCheck | undefined, path: string): Promise<CheckResult | undefined> {
  if (early === undefined || early.path !== path) return undefined;
  const result = await early.result;
  return fileIdentity(path) === early.identity ? result : undefined;
}

/** A regular file's identity (device, inode, size, change and modification times); undefined for anything else. */
function fileIdentity(path: string): string | undefined {
  const stat = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile()) return undefined;
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

async function attempt(work: Work, step: () => unknown): Promise<void> {
  try {
    await step();
  } catch (error) {
    const details = error instanceof TemplateError ? error.problems.map(formatProblem) : [];
    work.failure = { details, error };
  }
}

function failed(group: readonly Work[]): boolean {
  return group.some((work) => work.failure !== undefined);
}
