import { DbError } from '@smeconf/errors';
import type { ApplyResult, Backend } from './backend.ts';
import type { ChangeEntry, HistoryFilter } from './changes.ts';
import type { Op } from './ops.ts';
import type { DbRecord, RecordData } from './record.ts';

/**
 * One named database with SME's semantics on top of any Backend: keys are
 * trimmed (as SME does), values and types are kept exactly, and every
 * method is one atomic batch.
 */
export class ConfigDb {
  readonly backend: Backend;
  readonly name: string;

  constructor(backend: Backend, name: string) {
    this.backend = backend;
    this.name = name;
  }

  async get(key: string): Promise<RecordData | undefined> {
    return this.backend.get(this.name, key.trim());
  }

  async list(): Promise<DbRecord[]> {
    return this.backend.list(this.name);
  }

  async getProp(key: string, prop: string): Promise<string | undefined> {
    return (await this.get(key))?.props.get(prop);
  }

  /** Replaces the whole record. */
  async set(key: string, type: string, props: ReadonlyMap<string, string> = new Map()): Promise<void> {
    await this.batch([{ op: 'set', key: key.trim(), record: { type, props } }]);
  }

  /** Creates the record unless the key exists; true if it was created. */
  async setDefault(key: string, type: string, props: ReadonlyMap<string, string> = new Map()): Promise<boolean> {
    const result = await this.batch([{ op: 'create', key: key.trim(), record: { type, props } }]);
    return !result.existed[0];
  }

  /** True if the key existed. */
  async delete(key: string): Promise<boolean> {
    return this.#existed({ op: 'delete', key: key.trim() });
  }

  /** Changes the type, keeping props; false (nothing written) if the key is missing. */
  async setType(key: string, type: string): Promise<boolean> {
    return this.#existed({ op: 'setType', key: key.trim(), type });
  }

  /** Adds or replaces props; false (nothing written) if the key is missing. */
  async setProps(key: string, props: ReadonlyMap<string, string>): Promise<boolean> {
    return this.#existed({ op: 'setProps', key: key.trim(), props });
  }

  /** Removes props; false if the key is missing. */
  async delProps(key: string, names: readonly string[]): Promise<boolean> {
    return this.#existed({ op: 'delProps', key: key.trim(), names });
  }

  /** Replaces the whole database with these records, in one batch. */
  async replaceAll(records: Iterable<readonly [string, RecordData]>): Promise<ApplyResult> {
    const ops: Op[] = [{ op: 'clear' }];
    for (const [key, record] of records) ops.push({ op: 'set', key, record });
    return this.batch(ops);
  }

  async history(filter: HistoryFilter = {}): Promise<ChangeEntry[]> {
    if (!this.backend.history) {
      throw new DbError('E_DB_NO_HISTORY', `the ${this.backend.name} backend keeps no change log`);
    }
    return this.backend.history(this.name, filter);
  }

  /** Applies ops atomically after checking the keys and props they create. */
  async batch(ops: readonly Op[]): Promise<ApplyResult> {
    ops.forEach(checkOp);
    return this.backend.apply(this.name, ops);
  }

  async #existed(op: Op): Promise<boolean> {
    return (await this.batch([op])).existed[0] ?? false;
  }
}

function checkOp(op: Op): void {
  if (op.op === 'set' || op.op === 'create' || op.op === 'fill') {
    checkKey(op.key);
    checkProps(op.record.props.keys());
  } else if (op.op === 'setProps') {
    checkProps(op.props.keys());
  }
}

/**
 * A key must be non-empty after trimming and hold no newline, no `=` and
 * no leading `#`: the flat format could not read such a key back.
 */
export function checkKey(key: string): void {
  const problem =
    key.trim() === '' ? 'is empty'
    : key.includes('\n') ? 'contains a newline'
    : key.includes('=') ? 'contains "="'
    : key.trimStart().startsWith('#') ? 'starts with "#"'
    : undefined;
  if (problem !== undefined) {
    throw new DbError('E_DB_KEY_INVALID', `invalid key ${JSON.stringify(key)}: it ${problem}`, {
      details: { key },
    });
  }
}

/** A prop name must be non-empty and hold no newline. */
export function checkProps(names: Iterable<string>): void {
  for (const name of names) {
    if (name === '' || name.includes('\n')) {
      throw new DbError(
        'E_DB_PROP_INVALID',
        `invalid property name ${JSON.stringify(name)}: ${name === '' ? 'it is empty' : 'it contains a newline'}`,
        { details: { prop: name } },
      );
    }
  }
}
