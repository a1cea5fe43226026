import type { RecordData } from './record.ts';
import { compareBytes } from './byte-order.ts';

/**
 * One entry of a database's change log. `prop` is null for the record's
 * type; `old`/`new` are null where the type or prop did not exist.
 */
export interface ChangeEntry {
  readonly revision: number;
  readonly time: number;
  readonly db: string;
  readonly key: string;
  readonly prop: string | null;
  readonly old: string | null;
  readonly new: string | null;
}

export type ChangeDiff = Pick<ChangeEntry, 'prop' | 'old' | 'new'>;

/** The type and prop changes between two versions of one record. */
export function diffRecords(
  before: RecordData | undefined,
  after: RecordData | undefined,
): ChangeDiff[] {
  const diffs: ChangeDiff[] = [];
  const oldType = before?.type ?? null;
  const newType = after?.type ?? null;
  if (oldType !== newType) diffs.push({ prop: null, old: oldType, new: newType });
  const names = after === undefined ? [] : [...after.props.keys()];
  if (before !== undefined) {
    for (const name of before.props.keys()) if (after?.props.has(name) !== true) names.push(name);
  }
  for (const prop of names.sort(compareBytes)) {
    const old = before?.props.get(prop) ?? null;
    const value = after?.props.get(prop) ?? null;
    if (old !== value) diffs.push({ prop, old, new: value });
  }
  return diffs;
}

export interface HistoryFilter {
  readonly key?: string;
  readonly prop?: string;
  /** Only the newest `limit` entries (still listed oldest first). */
  readonly limit?: number;
}
