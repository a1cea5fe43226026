import type { RecordData } from '@smeconf/db';
import { expandTargets, failureLines, planDiff } from '@smeconf/templates';
import type { ReadsRecord, TargetOutcome, TemplateQueue } from '@smeconf/templates';

/** `recordedReads` loads what each target read last time before its render; `saveReads` keeps the new reads before anything is swapped in. */
export interface ExpandStepOptions extends ReadsRecord {
  readonly root: string;
  readonly queue: TemplateQueue;
  readonly loadDb: (db: string) => Promise<ReadonlyMap<string, RecordData>>;
  readonly warn: (message: string) => void;
  /** What fragments see besides the records: EVENT and ARGS. */
  readonly extraData: Readonly<Record<string, unknown>>;
  readonly dryRun: boolean;
  /** The environment of CHECK commands. */
  readonly env: NodeJS.ProcessEnv;
  readonly compileCacheDir?: string;
}

export interface StepOutcome {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * The generic expand step as one transaction (expandTargets, all or
 * nothing): every template of the event rendered, every changed file
 * staged and every CHECK passed (unchanged files are checked in place),
 * the reads recorded, and only then all swapped in. A dry run stages and
 * checks too, and shows the diffs.
 */
export async function expandStep(templatePaths: readonly string[], options: ExpandStepOptions): Promise<StepOutcome> {
  const { root, queue, loadDb, warn, extraData, compileCacheDir, recordedReads, saveReads } = options;
  const outcomes = await expandTargets(templatePaths, {
    root,
    queue,
    loadDb,
    warn,
    extraData,
    ...(compileCacheDir !== undefined && { compileCacheDir }),
    mode: options.dryRun ? 'dry-run' : 'write',
    allOrNothing: true,
    checkEnv: options.env,
    recordedReads,
    saveReads,
  });
  const failed = outcomes.filter((outcome) => outcome.failure !== undefined);
  if (failed.length === 0) return { ok: true, output: outcomes.map((outcome) => describe(outcome, options.dryRun)).join('') };
  const written = outcomes.filter((outcome) => outcome.done && outcome.plan !== undefined && !['unchanged', 'absent'].includes(outcome.plan.action));
  const lines = [
    ...written.map((outcome) => `wrote ${outcome.plan!.path}`),
    ...failed.flatMap((outcome) => failureLines(outcome.failure!)),
    `${written.length === 0 ? 'nothing written: ' : ''}${failed.length} of ${templatePaths.length} templates failed`,
  ];
  return { ok: false, output: lines.map((line) => `${line}\n`).join('') };
}

function describe({ plan, check, done }: TargetOutcome, dryRun: boolean): string {
  if (plan === undefined) return '';
  const checked = check === undefined ? '' : `check of ${plan.path} passed\n`;
  if (dryRun) return planDiff(plan) + checked;
  const changed = done && plan.action !== 'unchanged' && plan.action !== 'absent';
  return (changed ? `${plan.action === 'delete' ? 'deleted' : 'wrote'} ${plan.path}\n` : '') + checked;
}
