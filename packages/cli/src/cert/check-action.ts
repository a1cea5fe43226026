import { describeCode, OK } from '@smeconf/certificates';
import type { PreflightOutcome } from '@smeconf/certificates';
import { isDomainName } from '@smeconf/db';
import { UsageError } from '@smeconf/errors';
import { ExitCodes } from '../exit-codes.ts';
import { layoutOf, withBackend } from '../smeconf/command-layout.ts';
import type { CertAction } from './action.ts';
import { runPreflight } from './preflight-run.ts';
import { readCertificateView } from './view.ts';

/** `--timeout` at most an hour: a typo, not a wish, beyond that. */
const MAX_TIMEOUT_SECONDS = 3600;

/**
 * `smeconf cert check [NAME…] [--json] [--timeout SECONDS]`: the preflight
 * (runPreflight: recorded in the certificates db) of the names given, else
 * of every enabled name; a row per name, then each failing code's cause and
 * fix. Exit 0 all OK, else CERT_ERRORS.
 */
export const CHECK_ACTION: CertAction = {
  describe: 'the preflight: each name resolves to this server, which serves it the ACME challenge over HTTP',
  run: async (args, context) => {
    const names = [...new Set((args['names'] as string[] | undefined) ?? [])];
    const bad = names.find((name) => !isDomainName(name));
    if (bad !== undefined) throw new UsageError(`${JSON.stringify(bad)} is not a DNS name`);
    const timeoutMs = timeoutOf(args['timeout']);
    const layout = layoutOf(args, context);
    const outcomes = await withBackend(layout, (line) => context.io.err(`smeconf: ${line}\n`), async (backend) => {
      const view = await readCertificateView(backend, layout.root);
      return runPreflight(backend, view, { ...(names.length > 0 && { names }), ...(timeoutMs !== undefined && { timeoutMs }) });
    });
    const allOk = outcomes.every((outcome) => outcome.code === OK);
    context.io.out(args['json'] === true ? `${JSON.stringify(asJson(outcomes, allOk), null, 2)}\n` : formatCheck(outcomes));
    return allOk ? ExitCodes.OK : ExitCodes.CERT_ERRORS;
  },
};

function timeoutOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout ${typeof value === 'number' ? value : JSON.stringify(value)}: expected a number of seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return Math.round(value * 1000);
}

function asJson(outcomes: readonly PreflightOutcome[], allOk: boolean) {
  return {
    status: allOk ? 'ok' : 'error',
    names: outcomes.map((outcome) => {
      const entry = outcome.code === OK ? undefined : describeCode(outcome.code);
      return { ...outcome, ...(entry !== undefined && { cause: entry.cause, fix: entry.fix }) };
    }),
  };
}

/** A row per name (name, OK or code, detail), then each failing code once with its names, cause and fix. */
export function formatCheck(outcomes: readonly PreflightOutcome[]): string {
  if (outcomes.length === 0) return 'no names to check: no name is enabled for the certificate\n';
  const nameWidth = Math.max(4, ...outcomes.map((outcome) => outcome.name.length));
  const codeWidth = Math.max(6, ...outcomes.map((outcome) => outcome.code.length));
  const lines = [`${'name'.padEnd(nameWidth)}  ${'result'.padEnd(codeWidth)}  detail`];
  for (const outcome of outcomes) lines.push(`${outcome.name.padEnd(nameWidth)}  ${outcome.code.padEnd(codeWidth)}  ${outcome.detail}`);
  const failing = new Map<string, string[]>();
  for (const outcome of outcomes) if (outcome.code !== OK) failing.set(outcome.code, [...(failing.get(outcome.code) ?? []), outcome.name]);
  for (const [code, names] of failing) {
    const entry = describeCode(code);
    lines.push('', `${code}: ${names.join(' ')}`);
    if (entry !== undefined) lines.push(`  cause: ${entry.cause}`, `  fix:   ${entry.fix}`);
  }
  const ok = outcomes.length - [...failing.values()].reduce((sum, names) => sum + names.length, 0);
  lines.push('', `check: ${ok} of ${outcomes.length} name${outcomes.length === 1 ? '' : 's'} OK`);
  return `${lines.join('\n')}\n`;
}
