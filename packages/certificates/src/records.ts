import type { ConfigDb, Op } from '@smeconf/db';

/**
 * The `certificates` database (docs/certificates.md): what smeconf learnt
 * about each name and about the last issuance run, kept where every surface
 * reads it (cert status, the status page, the stock domains.txt template).
 *
 * - one record per name, type `name`: the last preflight (`Check` = OK or a
 *   code, `CheckDetail`, `CheckedAt`), `Skipped` (`yes` while
 *   SkipFailingNames keeps it out of domains.txt), the last issuance attempt
 *   for it (`Attempt` time, `AttemptResult` ok|failed|unchanged,
 *   `AttemptCode`, `AttemptDetail`: the CA's problem detail);
 * - `lastrun`, type `run`: `Started`, `Finished`, `Result` (ok|failed|unchanged),
 *   `Code`, `Detail`, `Names` (the names asked for, space-separated).
 */
export const CERTIFICATES_DB = 'certificates';
export const LAST_RUN = 'lastrun';

export const OK = 'OK';

export interface NameRecord {
  readonly name: string;
  readonly check?: { readonly code: string; readonly detail: string; readonly at: string };
  readonly skipped: boolean;
  readonly attempt?: { readonly at: string; readonly result: string; readonly code: string; readonly detail: string };
}

export interface RunRecord {
  readonly started: string;
  readonly finished: string;
  readonly result: string;
  readonly code: string;
  readonly detail: string;
  readonly names: readonly string[];
}

export interface CertificateRecords {
  readonly names: ReadonlyMap<string, NameRecord>;
  readonly lastRun: RunRecord | undefined;
}

/** A preflight's or an attempt's outcome for one name: code OK, or a catalogue code. */
export interface NameOutcome {
  readonly name: string;
  readonly code: string;
  readonly detail: string;
}

const MAX_DETAIL = 400;

/** Database values are one line: control characters become spaces, long texts are cut (the full text is in the logs). */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL - 1)}…` : flat;
}

export async function readCertificateRecords(db: ConfigDb): Promise<CertificateRecords> {
  const names = new Map<string, NameRecord>();
  let lastRun: RunRecord | undefined;
  for (const record of await db.list()) {
    const get = (prop: string) => record.props.get(prop) ?? '';
    if (record.key === LAST_RUN) {
      lastRun = { started: get('Started'), finished: get('Finished'), result: get('Result'), code: get('Code'), detail: get('Detail'), names: get('Names').split(' ').filter(Boolean) };
      continue;
    }
    if (record.type !== 'name') continue;
    names.set(record.key, {
      name: record.key,
      ...(record.props.has('Check') && { check: { code: get('Check'), detail: get('CheckDetail'), at: get('CheckedAt') } }),
      skipped: get('Skipped') === 'yes',
      ...(record.props.has('Attempt') && { attempt: { at: get('Attempt'), result: get('AttemptResult'), code: get('AttemptCode'), detail: get('AttemptDetail') } }),
    });
  }
  return { names, lastRun };
}

/** Ops that create a name's record if needed, then set `props` on it. */
function nameOps(name: string, props: ReadonlyMap<string, string>): Op[] {
  return [
    { op: 'fill', key: name, record: { type: 'name', props: new Map() } },
    { op: 'setProps', key: name, props },
  ];
}

/** Records a preflight: each name's Check, CheckDetail, CheckedAt, in one batch. */
export async function recordChecks(db: ConfigDb, outcomes: readonly NameOutcome[], at: Date): Promise<void> {
  const time = at.toISOString();
  await db.batch(outcomes.flatMap((outcome) => nameOps(outcome.name, new Map([['Check', outcome.code], ['CheckDetail', oneLine(outcome.detail)], ['CheckedAt', time]]))));
}

/** Records an issuance attempt's outcome per name (result ok|failed|unchanged), in one batch. */
export async function recordAttempts(db: ConfigDb, outcomes: readonly (NameOutcome & { readonly result: string })[], at: Date): Promise<void> {
  const time = at.toISOString();
  await db.batch(
    outcomes.flatMap((outcome) =>
      nameOps(outcome.name, new Map([['Attempt', time], ['AttemptResult', outcome.result], ['AttemptCode', outcome.code], ['AttemptDetail', oneLine(outcome.detail)]])),
    ),
  );
}

/** Marks exactly `skipped` among `names` as left out of domains.txt (Skipped yes), the others back in. */
export async function recordSkipped(db: ConfigDb, names: readonly string[], skipped: ReadonlySet<string>): Promise<void> {
  await db.batch(
    names.flatMap((name): Op[] =>
      skipped.has(name) ? nameOps(name, new Map([['Skipped', 'yes']])) : [{ op: 'delProps', key: name, names: ['Skipped'] }],
    ),
  );
}

/** Replaces the last run's record. */
export async function recordRun(db: ConfigDb, run: RunRecord): Promise<void> {
  await db.set(
    LAST_RUN,
    'run',
    new Map([['Started', run.started], ['Finished', run.finished], ['Result', run.result], ['Code', run.code], ['Detail', oneLine(run.detail)], ['Names', run.names.join(' ')]]),
  );
}
