import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CERTIFICATES_DB, certificatePathOf, domainsTxtNames, hookCall, readCertificateFacts, readCertificateRecords, recordAttempts, recordRun } from '@smeconf/certificates';
import { ConfigDb } from '@smeconf/db';
import { EventLog } from '@smeconf/events';
import { toToolError } from '@smeconf/errors';
import { ExitCodes } from '../exit-codes.ts';
import type { Layout } from '../layout.ts';
import { layoutOf, withBackend } from '../smeconf/command-layout.ts';
import type { CertAction } from './action.ts';

/** The calls whose outcome is recorded; dehydrated's others (and unknown ones) are left alone. */
const RECORDED_CALLS = new Set(['startup_hook', 'deploy_cert', 'unchanged_cert', 'invalid_challenge', 'request_failure', 'exit_hook']);

/**
 * `smeconf cert hook -- CALL [ARG…]`: records one call of dehydrated's hook
 * (the generated hook-script.sh passes its arguments verbatim after `--`)
 * in the `certificates` database, and a finished run in the event log.
 * Bookkeeping: it never fails dehydrated — a problem is one warning line on
 * stderr, and the exit status is 0.
 */
export const HOOK_ACTION: CertAction = {
  describe: "record one call of dehydrated's hook (run by the generated hook-script.sh)",
  run: async (args, context) => {
    const call = [...((args['names'] as unknown[] | undefined) ?? []), ...((args['--'] as unknown[] | undefined) ?? [])].map(String);
    const say = (line: string) => context.io.err(`smeconf: ${line}\n`);
    const warn = (line: string) => say(`warning: cert hook ${call[0] ?? ''}: ${line}`);
    if (!RECORDED_CALLS.has(call[0] ?? '')) return ExitCodes.OK;
    try {
      await recordHookCall(call, layoutOf(args, context), say, warn);
    } catch (error) {
      const reported = toToolError(error);
      warn(`not recorded: ${reported.message.replace(/\s*\n\s*/g, ' ')} [${reported.code}]`);
    }
    return ExitCodes.OK;
  },
};

async function recordHookCall(call: readonly string[], layout: Layout, say: (line: string) => void, warn: (line: string) => void): Promise<void> {
  const certificatePath = certificatePathOf(call);
  const certificate = certificatePath === undefined ? undefined : readCertificateFacts(layout.root, certificatePath);
  const now = new Date();
  const recorded = await withBackend(layout, say, async (backend) => {
    const db = new ConfigDb(backend, CERTIFICATES_DB);
    const records = hookCall({ call, records: await readCertificateRecords(db), runNames: runNames(layout.root), ...(certificate !== undefined && { certificate }), now });
    if (records.attempts.length > 0) await recordAttempts(db, records.attempts, now);
    if (records.run !== undefined) await recordRun(db, records.run);
    return records;
  });
  if (recorded.event !== undefined) new EventLog(layout.eventLogPath, say).append({ ...recorded.event });
  for (const line of recorded.warnings) warn(line);
}

/** The names of this run: the root's domains.txt, as the renewal left it (none when it is missing). */
function runNames(root: string): string[] {
  try {
    return domainsTxtNames(readFileSync(join(root, 'etc/dehydrated/domains.txt'), 'utf8'));
  } catch {
    return [];
  }
}
