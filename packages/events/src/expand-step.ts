import { join } from 'node:path';
import type { RecordData } from '@smeconf/db';
import {
  LoadCache,
  TemplateError,
  commitStaged,
  discardStaged,
  formatProblem,
  planDiff,
  planWrite,
  renderTarget,
  stageWrite,
} from '@smeconf/templates';
import type { Read, StagedWrite, TemplateQueue, WritePlan } from '@smeconf/templates';
import { runCommand } from './run-command.ts';

export interface ExpandStepOptions {
  readonly root: string;
  readonly queue: TemplateQueue;
  readonly loadDb: (db: string) => Promise<ReadonlyMap<string, RecordData>>;
  readonly warn: (message: string) => void;
  /** What fragments see besides the records: EVENT and ARGS. */
  readonly extraData: Readonly<Record<string, unknown>>;
  readonly dryRun: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly compileCacheDir?: string;
  /** Keeps what each written target read. */
  readonly saveReads: (templatePath: string, reads: readonly Read[]) => Promise<void>;
}

export interface StepOutcome {
  readonly ok: boolean;
  readonly output: string;
}

interface Planned {
  readonly templatePath: string;
  readonly plan: WritePlan;
  readonly reads: readonly Read[];
}

/**
 * The generic expand step as one transaction: render every template of the
 * event in memory; if any fails, write none. Then stage the changed files,
 * run each target's CHECK command on its staged file, and only when every
 * check passes swap them all in. Unchanged files are not touched.
 */
export async function expandStep(templatePaths: readonly string[], options: ExpandStepOptions): Promise<StepOutcome> {
  const cache = new LoadCache();
  const planned: Planned[] = [];
  const failures: string[] = [];
  let failed = 0;
  for (const templatePath of templatePaths) {
    try {
      const { queue, loadDb, warn, extraData, compileCacheDir } = options;
      const rendered = await renderTarget(templatePath, { queue, loadDb, warn, extraData, ...(compileCacheDir !== undefined && { compileCacheDir }) }, cache);
      const output = join(options.root, rendered.metadata.outputFilename ?? templatePath);
      planned.push({ templatePath, plan: planWrite(output, rendered.content, rendered.metadata), reads: rendered.reads });
    } catch (error) {
      failed++;
      failures.push(...describeFailure(error));
    }
  }
  if (failed > 0) {
    return { ok: false, output: `${failures.join('\n')}\nnothing written: ${failed} of ${templatePaths.length} templates failed\n` };
  }
  if (options.dryRun) return { ok: true, output: planned.map(({ plan }) => planDiff(plan)).join('') };
  return commitAll(planned, options);
}

async function commitAll(planned: readonly Planned[], options: ExpandStepOptions): Promise<StepOutcome> {
  const staged: StagedWrite[] = [];
  try {
    for (const { plan } of planned) {
      const one = stageWrite(plan, options.warn);
      if (one !== undefined) staged.push(one);
    }
    for (const one of staged) {
      const check = one.plan.metadata.check;
      if (check === undefined || one.temp === null) continue;
      const argv = check.includes('{}') ? check.map((arg) => (arg === '{}' ? one.temp! : arg)) : [...check, one.temp];
      const result = await runCommand(argv, options.env);
      if (result.status !== 0) {
        staged.forEach(discardStaged);
        return { ok: false, output: `${result.output}check of ${one.plan.path} failed (${check.join(' ')}): nothing written\n` };
      }
    }
  } catch (error) {
    staged.forEach(discardStaged);
    return { ok: false, output: `${describeFailure(error).join('\n')}\nnothing written\n` };
  }
  staged.forEach(commitStaged);
  for (const { templatePath, reads } of planned) await options.saveReads(templatePath, reads);
  const written = staged.map((one) => `${one.temp === null ? 'deleted' : 'wrote'} ${one.plan.path}\n`).join('');
  return { ok: true, output: written };
}

function describeFailure(error: unknown): string[] {
  if (error instanceof TemplateError && error.problems.length > 0) return [...error.problems.map(formatProblem), error.message];
  return [error instanceof Error ? error.message : String(error)];
}
