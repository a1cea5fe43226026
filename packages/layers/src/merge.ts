import type { RecordData } from '@smeconf/db';

/** A record of the merged view, and the layer each part of it comes from. */
export interface Provenance {
  readonly record: RecordData;
  /** The highest layer that has the record: it gives the type. */
  readonly typeFrom: string;
  /** Each prop's layer: the highest one that sets it. */
  readonly from: ReadonlyMap<string, string>;
}

/**
 * Merges one key's records of every layer, lowest first (undefined where a
 * layer lacks it): the record exists if any layer has it, each prop comes
 * from the highest layer that sets it, the type from the highest layer
 * that has the record.
 */
export function mergeStack(names: readonly string[], stack: readonly (RecordData | undefined)[]): Provenance | undefined {
  let type: string | undefined;
  let typeFrom = '';
  const props = new Map<string, string>();
  const from = new Map<string, string>();
  stack.forEach((record, i) => {
    if (record === undefined) return;
    type = record.type;
    typeFrom = names[i]!;
    for (const [name, value] of record.props) {
      props.set(name, value);
      from.set(name, names[i]!);
    }
  });
  return type === undefined ? undefined : { record: { type, props }, typeFrom, from };
}
