import { join } from 'node:path';
import yargs from 'yargs';
import { ConfigDb } from '@smeconf/db';
import { LoadCache, READS_DB, TemplateError, applyWrite, backendLoader, formatProblem, defaultQueue, planDiff, planWrite, renderTarget, saveReads } from '@smeconf/templates';
import type { TemplateQueue, WritePlan } from '@smeconf/templates';
import type { Env, Io } from '../io.ts';
import { resolveLayout, templateData } from '../layout.ts';
import { openBackend } from '../open-db.ts';
import { reportError } from '../report-error.ts';
import { parseWith } from '../parse-with.ts';
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

/** `expand-template [options] PATH…`: render each target fully in memory, then write it atomically. */
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
  );
  if (typeof parsed === 'number') return parsed;
  const args = parsed as unknown as Args;
  let status = 0;
  try {
    const layout = resolveLayout({ env: options.env, root: args.root, stockDir: options.stockDir });
    const warn = (line: string) => io.err(`expand-template: ${line}\n`);
    const stock = defaultQueue(layout.root, options.stockDir);
    const queue: TemplateQueue = args.expand_queue ? { ...stock, templateDirs: args.expand_queue } : stock;
    const cache = new LoadCache();
    const backend = await openBackend(layout, warn);
    try {
      for (const path of args.paths) {
        try {
          const extraData = templateData(layout, options.stockDir);
          const rendered = await renderTarget(path, { queue, loadDb: backendLoader(backend), warn, extraData, compileCacheDir: layout.compileCacheDir }, cache);
          const output = join(layout.root, rendered.metadata.outputFilename ?? args.output_filename ?? path);
          if (args.stdout) {
            io.out(rendered.content ?? '');
            continue;
          }
          const plan = planWrite(output, rendered.content, rendered.metadata);
          if (!args['dry-run']) {
            applyWrite(plan, warn);
            await saveReads(new ConfigDb(backend, READS_DB), path, rendered.reads);
          }
          report(plan, args, io, options.color === true);
        } catch (error) {
          if (error instanceof TemplateError) io.err(error.problems.map((p) => `${formatProblem(p)}\n`).join(''));
          status ||= reportError('expand-template', error, io);
          if (args.json) io.out(JSON.stringify({ path, status: 'failed', error: (error as Error).message }) + '\n');
        }
      }
    } finally {
      await backend.close();
    }
  } catch (error) {
    return reportError('expand-template', error, io);
  }
  return status;
}

const DONE = { create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'deleted', absent: 'absent' } as const;

function report(plan: WritePlan, args: Args, io: Io, color: boolean): void {
  const diff = args.diff ? planDiff(plan) : '';
  const dry = args['dry-run'];
  if (args.json) {
    io.out(JSON.stringify({ path: plan.path, status: dry ? `would ${plan.action}` : DONE[plan.action], ...(args.diff && { diff }) }) + '\n');
    return;
  }
  if (dry) io.out(plan.action === 'unchanged' || plan.action === 'absent' ? `${DONE[plan.action]} ${plan.path}\n` : `would ${plan.action} ${plan.path}\n`);
  if (diff !== '') io.out(color ? colorDiff(diff) : diff);
}
