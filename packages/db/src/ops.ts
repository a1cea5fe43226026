import type { RecordData } from './record.ts';
import { sameRecord } from './record.ts';

/**
 * One mutation of a database. A batch of ops is applied atomically by a
 * backend, each op seeing the result of the ones before it. Ops describe the
 * change (not the resulting record) so that a backend applies them to the
 * state it holds under its lock or transaction: no read-modify-write race.
 */
export type Op =
  /** Create or replace the whole record. */
  | { readonly op: 'set'; readonly key: string; readonly record: RecordData }
  /** Create the record only if the key is absent. */
  | { readonly op: 'create'; readonly key: string; readonly record: RecordData }
  /** Create the record if absent, else add only the props it lacks. */
  | { readonly op: 'fill'; readonly key: string; readonly record: RecordData }
  | { readonly op: 'delete'; readonly key: string }
  /** Remove every record of the database. */
  | { readonly op: 'clear' }
  /** The following ops change an existing record and skip a missing one. */
  | { readonly op: 'setType'; readonly key: string; readonly type: string }
  | {
      readonly op: 'setProps';
      readonly key: string;
      readonly props: ReadonlyMap<string, string>;
    }
  | { readonly op: 'delProps'; readonly key: string; readonly names: readonly string[] };

/** What a backend lets the planner read: the state before the batch. */
export interface RecordSource {
  get(key: string): RecordData | undefined;
  keys(): Iterable<string>;
  /** Every record, in the order of keys(): one query instead of a get per key (for a clear). */
  entries?(): Iterable<readonly [string, RecordData]>;
}

export interface Write {
  readonly before: RecordData | undefined;
  readonly after: RecordData | undefined;
}

export interface OpsPlan {
  /** Only the keys whose record really changed. */
  readonly writes: ReadonlyMap<string, Write>;
  /** For each op, whether its key existed when the op was applied. */
  readonly existed: readonly boolean[];
}

/** Applies a batch of ops to a source, purely, and returns what changed. */
export function planOps(source: RecordSource, ops: readonly Op[]): OpsPlan {
  const before = new Map<string, RecordData | undefined>();
  const current = new Map<string, RecordData | undefined>();
  // after a clear has read every key of the source, a key not read is absent (no lookup)
  let everyKeyRead = false;
  const read = (key: string): RecordData | undefined => {
    if (!current.has(key)) {
      const record = everyKeyRead ? undefined : source.get(key);
      before.set(key, record);
      current.set(key, record);
    }
    return current.get(key);
  };
  const readAll = (): void => {
    if (source.entries === undefined) {
      for (const key of source.keys()) read(key);
      return;
    }
    for (const [key, record] of source.entries()) {
      if (current.has(key)) continue;
      before.set(key, record);
      current.set(key, record);
    }
  };
  const existed = ops.map((op) => {
    if (op.op === 'clear') {
      if (!everyKeyRead) readAll();
      everyKeyRead = true;
      for (const key of current.keys()) current.set(key, undefined);
      return true;
    }
    const old = read(op.key);
    current.set(op.key, applyOp(old, op));
    return old !== undefined;
  });
  const writes = new Map<string, Write>();
  for (const [key, after] of current) {
    const previous = before.get(key);
    if (!sameRecord(previous, after)) writes.set(key, { before: previous, after });
  }
  return { writes, existed };
}

function applyOp(
  old: RecordData | undefined,
  op: Exclude<Op, { op: 'clear' }>,
): RecordData | undefined {
  switch (op.op) {
    case 'set':
      return op.record;
    case 'create':
      return old ?? op.record;
    case 'fill':
      if (old === undefined) return op.record;
      return { type: old.type, props: new Map([...op.record.props, ...old.props]) };
    case 'delete':
      return undefined;
    case 'setType':
      return old && { type: op.type, props: old.props };
    case 'setProps':
      return old && { type: old.type, props: new Map([...old.props, ...op.props]) };
    case 'delProps': {
      if (old === undefined) return undefined;
      const props = new Map(old.props);
      for (const name of op.names) props.delete(name);
      return { type: old.type, props };
    }
  }
}
