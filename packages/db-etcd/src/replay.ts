import { DbError } from '@smeconf/errors';
import type { ChangeEntry, ChangeDiff } from '@smeconf/db';
import { diffRecords } from '@smeconf/db';
import type { EtcdClient, KeyValue, WatchEvent } from './etcd-client.ts';
import type { KeyLayout } from './key-layout.ts';
import { decodeRecord, fromBase64, rangeEnd, toBase64 } from './key-layout.ts';

/**
 * The store's changes of revisions from..to, oldest first, read from etcd's
 * own history: a watch of the prefix from `from` with each key's previous
 * value, diffed record by record (diffRecords, as every backend logs). The
 * log key, written last in each transaction, dates its changes and says the
 * transaction is complete. The watch starts one revision early: a change's
 * previous value is read at the revision before it, so that revision must
 * not be compacted either. Before etcd's compacted revision nothing is left:
 * strict (changesSince) fails with E_DB_HISTORY_COMPACTED so the caller
 * re-reads everything; otherwise (history) the replay starts from the
 * oldest revision etcd keeps.
 */
export async function replayChanges(client: EtcdClient, layout: KeyLayout, from: number, to: number, strict: boolean): Promise<ChangeEntry[]> {
  const entries: ChangeEntry[] = [];
  let pending: Omit<ChangeEntry, 'time'>[] = [];
  let start = from;
  for (;;) {
    const first = start;
    let compactedAt: number | undefined;
    const prefix = layout.storePrefix();
    await client.watch({ create_request: { key: toBase64(prefix), range_end: rangeEnd(prefix), start_revision: String(Math.max(first - 1, 1)), prev_kv: true } }, (result) => {
      if (result.canceled === true) {
        compactedAt = Number(result.compact_revision ?? 0);
        return true;
      }
      for (const event of result.events ?? []) {
        const revision = Number(event.kv.mod_revision);
        if (revision < first) continue;
        const etcdKey = fromBase64(event.kv.key);
        if (etcdKey === layout.logKey) {
          const time = (JSON.parse(fromBase64(event.kv.value)) as { time: number }).time;
          for (const entry of pending) entries.push({ ...entry, time });
          pending = [];
          if (revision >= to) return true;
          continue;
        }
        const record = layout.parseRecordKey(etcdKey);
        if (record === undefined) continue;
        for (const diff of diffOf(event)) pending.push({ revision, db: record.db, key: record.key, ...diff });
      }
      return false;
    });
    if (compactedAt === undefined) return entries;
    if (strict) {
      throw new DbError('E_DB_HISTORY_COMPACTED', `etcd has compacted its history up to revision ${compactedAt}: the changes since revision ${from - 1} are gone; read the whole store again`);
    }
    if (compactedAt + 1 <= start) throw new DbError('E_DB_IO', `etcd cancelled a watch from revision ${start - 1} (compacted at ${compactedAt})`);
    start = compactedAt + 1;
    entries.length = 0;
    pending = [];
  }
}

function diffOf(event: WatchEvent): ChangeDiff[] {
  const before = recordOf(event.prev_kv);
  const after = event.type === 'DELETE' ? undefined : recordOf(event.kv);
  return diffRecords(before, after);
}

function recordOf(kv: KeyValue | undefined) {
  return kv?.value === undefined ? undefined : decodeRecord(fromBase64(kv.value));
}
