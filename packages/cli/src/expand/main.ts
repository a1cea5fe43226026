import yargs from 'yargs';
import { expandTargets, planDiff } from '@smeconf/templates';
import type { TargetOutcome, TemplateQueue } from '@smeconf/templates';
import type { Env, Io } from '../io.ts';
import { requireRoot, resolveLayout } from '../layout.ts';
import { expandOptionsFor } from './expand-options.ts';
import { openBackend } from '../open-db.ts';
import { reportError } from '../report-error.ts';
import { parseWith } from '../parse-with.ts';
import { versionLine } from '../version.ts';
import { colorDiff } from './color-diff.ts';

export interface ExpandMainOptions {
  readonly env: Env;
  readonly stockDir: string;
  /** Colour diffs (a terminal). */
  readonly color?: boolean;
}

interface Args {
  paths: string[];
  output_filename?: string;
  expand_queue?: string[];
  'dry-run': boolean;
  diff: boolean;
  stdout: boolean;
  json: boolean;
  root?: string;
}

/** `expand-template [options] PATH…`: each target through expandTargets (render, confine, stage, CHECK, record reads, swap in). */
export async function expandMain(argv: readonly string[], io: Io, options: ExpandMainOptions): Promise<number> {
  const parsed = parseWith(
    yargs()
      .scriptName('expand-template')
      .command('$0 <paths..>', 'build configuration files from their fragments')
      .option('output_filename', { type: 'string', describe: 'write to this path (under the root) instead of PATH' })
      .option('expand_queue', { type: 'string', array: true, describe: 'fragment directories to use instead of the default queue, highest priority first' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'write nothing; say what would change' })
      .option('diff', { type: 'boolean', default: false, describe: 'show a unified diff of each change' })
      .option('stdout', { type: 'boolean', default: false, describe: 'print the result instead of writing it' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per target on stdout' })
      .option('root', { type: 'string', describe: 'relocate every SME path under DIR (default: $SMECONF_ROOT or /)' }),
    argv,
    io,
    'expand-template',
    () => versionLine(options.stockDir),
  );
  if (typeof parsed === 'number') return parsed;
  const args = parsed as unknown as Args;
  try {
    const layout = resolveLayout({ env: options.env, root: args.root, stockDir: options.stockDir });
    requireRoot(layout.root);
    const warn = (line: string) => io.err(`expand-template: ${line}\n`);
    const stock = layout.queue;
    const queue: TemplateQueue = args.expand_queue ? { ...stock, templateDirs: args.expand_queue } : stock;
    const backend = await openBackend(layout, warn);
    try {
      const outcomes = await expandTargets(args.paths, {
        ...expandOptionsFor(layout, backend, options.env, options.stockDir, warn),
        queue,
        outputFilename: args.output_filename,
        mode: args.stdout ? 'render' : args['dry-run'] ? 'dry-run' : 'write',
      });
      let status = 0;
      for (const outcome of outcomes) {
        const one = report(outcome, args, io, options.color === true);
        status ||= one;
      }
      return status;
    } finally {
      await backend.close();
    }
  } catch (error) {
    return reportError('expand-template', error, io);
  }
}

const DONE = { create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'deleted', absent: 'absent' } as const;

/** Reports one target; returns its exit status (the first failure's is the command's). */
function report(outcome: TargetOutcome, args: Args, io: Io, color: boolean): number {
  const { plan, check, failure } = outcome;
  if (failure !== undefined) {
    io.err(failure.details.map((line) => `${line}\n`).join(''));
    const status = reportError('expand-template', failure.error, io);
    if (args.json) io.out(JSON.stringify({ path: outcome.templatePath, status: 'failed', error: (failure.error as Error).message }) + '\n');
    return status;
  }
  if (plan === undefined) {
    io.out(outcome.rendered?.content ?? ''); // --stdout
    return 0;
  }
  const diff = args.diff ? planDiff(plan) : '';
  const dry = args['dry-run'];
  const checked = check === undefined ? {} : { check: 'passed' };
  // nothing to do is the same word in a dry run: "unchanged", "absent" (never "would unchanged")
  const status = !dry || plan.action === 'unchanged' || plan.action === 'absent' ? DONE[plan.action] : `would ${plan.action}`;
  if (args.json) {
    io.out(JSON.stringify({ path: plan.path, status, ...checked, ...(args.diff && { diff }) }) + '\n');
    return 0;
  }
  if (dry) io.out(`${status} ${plan.path}${check === undefined ? '' : ' (check passed)'}\n`);
  if (diff !== '') io.out(color ? colorDiff(diff) : diff);
  return 0;
}
