import type { Backend, Op } from '@smeconf/db';
import { compareBytes, sameRecord } from '@smeconf/db';
import { DbError } from '@smeconf/errors';
import { LayeredBackend } from '@smeconf/layers';
import type { AgentState } from './state-file.ts';

/** One layer the agent follows: its Backend (with a change log) and the databases it holds. */
export interface AgentLayer {
  readonly name: string;
  readonly backend: Backend;
  databases(): Promise<string[]>;
}

export interface SyncResult {
  readonly state: AgentState;
  /** Whether every database was read again (no state, other layers, or compacted history). */
  readonly full: boolean;
  /** Why, for a full re-sync. */
  readonly reason?: string;
  /** The databases whose local copy changed. */
  readonly changed: readonly string[];
  /** The records of the copy that changed: created, changed or deleted (their type before and after). */
  readonly records: readonly ChangedRecord[];
}

export interface ChangedRecord {
  readonly db: string;
  readonly key: string;
  /** The record's type before and after (one, or two when it changed; a created/deleted record has one). */
  readonly types: readonly string[];
}

/**
 * One step of the agent: brings the local copy up to the layers. From a
 * state, each layer's changes since its revision name the databases to
 * merge again; with no state, other layers or compacted history, every
 * database is. Each database is merged from every layer (LayeredBackend's
 * merge) and written to the local store as ONE batch (clear + set: the
 * store writes and logs only the records that really changed).
 *
 * A layer's new revision is the last change its history gave (complete up
 * to there, whichever member answered), unchanged when it gave none; a full
 * re-sync takes each layer's revision read before its databases. Whatever
 * changes meanwhile is seen again by the next step (merging again is harmless).
 */
export async function syncLayers(layers: readonly AgentLayer[], local: Backend, state: AgentState | undefined): Promise<SyncResult> {
  const names = layers.map((layer) => layer.name);
  const revisions: Record<string, number> = {};
  let reason = state === undefined ? 'no applied revision' : names.join(',') !== state.layers.join(',') ? `the layers changed (were ${state.layers.join(',')})` : undefined;
  let databases = new Set<string>();
  if (reason === undefined) {
    try {
      for (const layer of layers) {
        let revision = state!.revisions[layer.name] ?? 0;
        for (const change of await changesOf(layer, revision)) {
          databases.add(change.db);
          revision = Math.max(revision, change.revision);
        }
        revisions[layer.name] = revision;
      }
    } catch (error) {
      if (!(error instanceof DbError && error.code === 'E_DB_HISTORY_COMPACTED')) throw error;
      reason = 'the history since the applied revision is compacted';
    }
  }
  if (reason !== undefined) {
    databases = new Set(state?.databases ?? []);
    for (const layer of layers) revisions[layer.name] = await layer.backend.revision('configuration');
    for (const layer of layers) for (const db of await layer.databases()) databases.add(db);
  }
  const merged = new LayeredBackend({ layers: layers.map(({ name, backend }) => ({ name, backend })) });
  const changed: string[] = [];
  const changedRecords: ChangedRecord[] = [];
  for (const db of [...databases].sort(compareBytes)) {
    const records = await merged.list(db);
    const before = new Map((await local.list(db)).map(({ key, type, props }) => [key, { type, props }]));
    const ops: Op[] = [{ op: 'clear' }, ...records.map(({ key, type, props }): Op => ({ op: 'set', key, record: { type, props } }))];
    if (!(await local.apply(db, ops)).changed) continue;
    changed.push(db);
    for (const { key, type, props } of records) {
      const old = before.get(key);
      before.delete(key);
      if (!sameRecord(old, { type, props })) changedRecords.push({ db, key, types: [...new Set([old?.type ?? type, type])] });
    }
    for (const [key, { type }] of before) changedRecords.push({ db, key, types: [type] });
  }
  const known = new Set([...(state?.databases ?? []), ...databases]);
  return {
    state: { layers: names, revisions, databases: [...known].sort(compareBytes) },
    full: reason !== undefined,
    ...(reason !== undefined && { reason }),
    changed,
    records: changedRecords,
  };
}

async function changesOf(layer: AgentLayer, revision: number) {
  if (layer.backend.changesSince === undefined) throw new DbError('E_DB_IO', `layer ${layer.name}: its store keeps no change log`);
  return layer.backend.changesSince(revision);
}
