import type { Op, RecordData } from '@smeconf/db';
import { planOps } from '@smeconf/db';
import { mergeStack } from './merge.ts';

/** What the translation reads: every layer's record of a key, lowest first. */
export interface StackReader {
  readonly names: readonly string[];
  /** Index of the write layer in `names`. */
  readonly write: number;
  stack(key: string): Promise<(RecordData | undefined)[]>;
}

export interface TranslatedOps {
  /** The ops for the write layer. */
  readonly ops: Op[];
  /** For each given op, whether its key existed in the merged view when it was applied. */
  readonly existed: boolean[];
  /** For each given `delete`, the index of its op in `ops`: it existed if the write layer had the key. */
  readonly deletes: ReadonlyMap<number, number>;
}

const NO_PROPS: ReadonlyMap<string, string> = new Map();

/**
 * Turns a batch meant for the merged view into ops on the write layer
 * alone, each op seeing the result of the ones before it (as planOps does).
 * The ops describe changes, not results (`fill` then `setProps`, not a
 * whole record), so that the write layer applies them to the state it
 * holds under its own lock: a concurrent write to another key or prop of
 * the write layer is never lost. A record that exists only below gets a
 * write-layer record of its type carrying only what the op sets; `delProps`
 * and `delete` remove from the write layer only, so a lower layer's value
 * shows through again.
 */
export async function translateOps(reader: StackReader, batch: readonly Op[]): Promise<TranslatedOps> {
  const stacks = new Map<string, (RecordData | undefined)[]>();
  let cleared = false;
  const stackOf = async (key: string): Promise<(RecordData | undefined)[]> => {
    let stack = stacks.get(key);
    if (stack === undefined) {
      stack = await reader.stack(key);
      if (cleared) stack[reader.write] = undefined;
      stacks.set(key, stack);
    }
    return stack;
  };
  const ops: Op[] = [];
  const existed: boolean[] = [];
  const deletes = new Map<number, number>();
  for (const [index, op] of batch.entries()) {
    if (op.op === 'clear') {
      for (const stack of stacks.values()) stack[reader.write] = undefined;
      cleared = true;
      ops.push(op);
      existed.push(true);
      continue;
    }
    const stack = await stackOf(op.key);
    const merged = mergeStack(reader.names, stack)?.record;
    existed.push(merged !== undefined);
    if (op.op === 'delete') deletes.set(index, ops.length);
    const written = writeLayerOps(op, merged);
    ops.push(...written);
    stack[reader.write] = applyTo(op.key, stack[reader.write], written);
  }
  return { ops, existed, deletes };
}

/** The write-layer ops for one op, given the merged record before it. */
function writeLayerOps(op: Exclude<Op, { op: 'clear' }>, merged: RecordData | undefined): Op[] {
  switch (op.op) {
    case 'set':
    case 'delete':
    case 'delProps':
      return [op];
    case 'create':
      return merged === undefined ? [op] : [];
    case 'fill': {
      if (merged === undefined) return [op];
      const missing = [...op.record.props].filter(([name]) => !merged.props.has(name));
      return missing.length === 0 ? [] : [{ op: 'fill', key: op.key, record: { type: merged.type, props: new Map(missing) } }];
    }
    case 'setType':
      return merged === undefined ? [] : [{ op: 'fill', key: op.key, record: { type: op.type, props: NO_PROPS } }, op];
    case 'setProps':
      return merged === undefined ? [] : [{ op: 'fill', key: op.key, record: { type: merged.type, props: NO_PROPS } }, op];
  }
}

/** One key's write-layer record after its ops: planOps, the one implementation of op semantics. */
function applyTo(key: string, record: RecordData | undefined, ops: readonly Op[]): RecordData | undefined {
  if (ops.length === 0) return record;
  const plan = planOps({ get: () => record, keys: () => (record === undefined ? [] : [key]) }, ops);
  const write = plan.writes.get(key);
  return write === undefined ? record : write.after;
}
