import { OK } from '../records.ts';
import type { CertificateRecords, NameOutcome, RunRecord } from '../records.ts';
import { CLIENT_FAILED, classifyChallengeResult, classifyMessage, classifyRequestFailure } from './classify.ts';
import type { Classification } from './classify.ts';

/**
 * One call of dehydrated's hook → what the `certificates` database records
 * (docs/certificates.md, "What each attempt records"). Pure: the caller
 * reads the records, domains.txt and the certificate file, and writes what
 * this returns (recordAttempts, recordRun, one event-log line).
 */
export const RUNNING = 'running';

export type AttemptResult = 'ok' | 'failed' | 'unchanged';
export interface Attempt extends NameOutcome {
  readonly result: AttemptResult;
}

/** The event-log line of a finished run (the status page shows the last ones). */
export interface RenewalEvent {
  readonly certificate: 'renew';
  readonly result: AttemptResult;
  readonly code: string;
  readonly detail: string;
  readonly names: readonly string[];
}

/** What deploy_cert's or unchanged_cert's CERT holds, or why it could not be read. */
export type CertificateFacts = { readonly names: readonly string[]; readonly notAfter: string } | { readonly why: string };

export interface HookInput {
  /** dehydrated's arguments, verbatim: the hook's name first. */
  readonly call: readonly string[];
  readonly records: CertificateRecords;
  /** The names of this run: domains.txt's, as the renewal wrote it. */
  readonly runNames: readonly string[];
  /** deploy_cert and unchanged_cert: their CERT's facts (see certificatePathOf). */
  readonly certificate?: CertificateFacts;
  readonly now: Date;
}

export interface HookRecords {
  readonly attempts: readonly Attempt[];
  /** The last run's new record; undefined: unchanged. */
  readonly run: RunRecord | undefined;
  readonly event: RenewalEvent | undefined;
  /** One line each, for stderr: what could not be recorded as it should. */
  readonly warnings: readonly string[];
}

const NOTHING: HookRecords = { attempts: [], run: undefined, event: undefined, warnings: [] };

/** The certificate file a call names (deploy_cert/unchanged_cert DOMAIN KEY CERT …), for the caller to read. */
export function certificatePathOf(call: readonly string[]): string | undefined {
  return call[0] === 'deploy_cert' || call[0] === 'unchanged_cert' ? call[3] : undefined;
}

/** The names of domains.txt (dehydrated's format: names a line, `# comments`, `> alias`), each once, in order. */
export function domainsTxtNames(text: string): string[] {
  const names = text.split('\n').flatMap((line) => line.replace(/#.*/, '').split('>')[0]!.trim().split(/\s+/).filter(Boolean));
  return [...new Set(names)];
}

export function hookCall(input: HookInput): HookRecords {
  const [hook, ...args] = input.call;
  const now = input.now.toISOString();
  const current = input.records.lastRun?.result === RUNNING ? input.records.lastRun : undefined;
  // a run whose startup_hook was not seen (dehydrated fails before it: the CA unreachable) starts now
  const running = current ?? { started: now, finished: '', result: RUNNING, code: '', detail: '', names: input.runNames };
  switch (hook) {
    case 'startup_hook':
      return { ...NOTHING, run: { started: now, finished: '', result: RUNNING, code: '', detail: '', names: input.runNames } };
    case 'deploy_cert':
    case 'unchanged_cert':
      return certificateCall(hook === 'deploy_cert' ? 'ok' : 'unchanged', args[0] ?? '', input.certificate, current === undefined ? running : undefined);
    case 'invalid_challenge': {
      const classified = classifyChallengeResult(args[1] ?? '') ?? classifyMessage(args[1] ?? '');
      const name = classified.name ?? args[0] ?? '';
      return failure({ ...classified, name }, running);
    }
    case 'request_failure':
      return failure(classifyRequestFailure(args[0] ?? '', args[1] ?? '', args[2] ?? ''), running);
    case 'exit_hook':
      return finish(running, args.length > 0 ? args[0]! : undefined, input.records, now);
    default:
      return NOTHING; // dehydrated's other calls, and the unknown one it checks the hook with
  }
}

function certificateCall(result: AttemptResult, domain: string, facts: CertificateFacts | undefined, newRun: RunRecord | undefined): HookRecords {
  const read = facts !== undefined && 'names' in facts ? facts : undefined;
  const names = read?.names ?? [domain];
  const warnings = read === undefined ? [`the names of ${domain}'s certificate: ${facts !== undefined && 'why' in facts ? facts.why : 'no certificate file'}; recorded for ${domain} only`] : [];
  const detail = read === undefined ? '' : `valid until ${read.notAfter}`;
  return { attempts: names.map((name) => ({ name, result, code: OK, detail })), run: newRun, event: undefined, warnings };
}

/** A failure during the run: the failed name's attempt (when known), and the CA's problem as the run's. */
function failure(classified: Classification, running: RunRecord): HookRecords {
  const attempts: Attempt[] = classified.name === undefined || classified.name === '' ? [] : [{ name: classified.name, result: 'failed', code: classified.code, detail: classified.detail }];
  return { ...NOTHING, attempts, run: { ...running, code: classified.code, detail: classified.detail } };
}

/**
 * exit_hook [MESSAGE]: the run ends, failed when dehydrated gives a message
 * (even empty: after request_failure) or a failure was recorded. Its code
 * comes from the message, or from the failure already recorded when the
 * message says nothing the catalogue knows. Names of the run without an
 * outcome in this run get the run's failure.
 */
function finish(running: RunRecord, message: string | undefined, records: CertificateRecords, now: string): HookRecords {
  const recorded: Classification | undefined = running.code !== '' && running.code !== OK ? { code: running.code, detail: running.detail } : undefined;
  const said = message === undefined || message.trim() === '' ? undefined : classifyMessage(message);
  const failed = message !== undefined || recorded !== undefined;
  const cause: Classification | undefined = !failed
    ? undefined
    : said !== undefined && (said.code !== CLIENT_FAILED || recorded === undefined)
      ? said
      : (recorded ?? { code: CLIENT_FAILED, detail: 'dehydrated failed without a message (see its output)' });
  const thisRun = (name: string) => {
    const attempt = records.names.get(name)?.attempt;
    return attempt !== undefined && attempt.at >= running.started ? attempt : undefined;
  };
  const attempts: Attempt[] = cause === undefined
    ? []
    : running.names
        .filter((name) => thisRun(name) === undefined)
        .map((name) => ({ name, result: 'failed', code: cause.code, detail: cause.name === undefined || cause.name === name ? cause.detail : `the run failed on ${cause.name}: ${cause.detail}` }));
  const result: AttemptResult = cause !== undefined ? 'failed' : running.names.some((name) => thisRun(name)?.result === 'ok') ? 'ok' : 'unchanged';
  const code = cause?.code ?? OK;
  const detail = cause?.detail ?? '';
  return {
    attempts,
    run: { started: running.started, finished: now, result, code, detail, names: running.names },
    event: { certificate: 'renew', result, code, detail, names: running.names },
    warnings: [],
  };
}
