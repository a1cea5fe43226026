import { compareBytes } from './byte-order.ts';

/** A record's content: its type and a map of property names to values. */
export interface RecordData {
  readonly type: string;
  readonly props: ReadonlyMap<string, string>;
}

/** A record together with its key. */
export interface DbRecord extends RecordData {
  readonly key: string;
}

export function makeRecord(
  type: string,
  props: Iterable<readonly [string, string]> = [],
): RecordData {
  return { type, props: new Map(props) };
}

/** The record's properties in byte order of their names. */
export function sortedProps(record: RecordData): [string, string][] {
  return [...record.props].sort((a, b) => compareBytes(a[0], b[0]));
}

export function sameRecord(
  a: RecordData | undefined,
  b: RecordData | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (a.type !== b.type || a.props.size !== b.props.size) return false;
  for (const [name, value] of a.props) {
    if (b.props.get(name) !== value) return false;
  }
  return true;
}

/** A plain-object view for JSON output: {key, type, props}. */
export function recordToJson(key: string, record: RecordData): object {
  return { key, type: record.type, props: Object.fromEntries(sortedProps(record)) };
}
