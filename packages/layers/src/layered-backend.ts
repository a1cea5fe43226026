import { DbError, ToolError } from '@smeconf/errors';
import type { ApplyOptions, ApplyResult, Backend, ChangeEntry, DbRecord, HistoryFilter, Op, RecordData } from '@smeconf/db';
import { compareBytes } from '@smeconf/db';
import type { Provenance } from './merge.ts';
import { mergeStack } from './merge.ts';
import { translateOps } from './translate-ops.ts';

/** The database whose revision() a watcher starts from (watch's DbChanges): changesSince speaks its numbers. */
const REVISION_DB = 'configuration';

/** One layer of a server's view: its name (`fleet`, `group:web`, `host`) and where it is stored. */
export interface Layer {
  readonly name: string;
  readonly backend: Backend;
}

export interface LayeredOptions {
  /** Lowest first: `[fleet, group:web, host]`. */
  readonly layers: readonly Layer[];
  /** The layer every write goes to; default the highest. */
  readonly writeLayer?: string;
}

/**
 * A Backend over an ordered list of layers. Reads see the merged view
 * (mergeStack: each prop from the highest layer that sets it, the type
 * from the highest layer that has the record); every batch is written to
 * one layer, atomically there, keeping ConfigDb's semantics on the merged
 * view (translateOps). revision() is the sum of the layers' revisions: it
 * changes with every write to any layer and grows while each layer's does.
 * The change log (history, changesSince) is the write layer's.
 */
export class LayeredBackend implements Backend {
  readonly name: string;
  readonly capabilities: { readonly history: boolean };
  readonly layers: readonly Layer[];
  readonly writeLayer: Layer;
  readonly history?: (db: string, filter?: HistoryFilter) => Promise<ChangeEntry[]>;
  readonly changesSince?: (revision: number) => Promise<ChangeEntry[]>;
  readonly #names: readonly string[];
  readonly #write: number;

  constructor(options: LayeredOptions) {
    if (options.layers.length === 0) throw new ToolError('E_INTERNAL', 'a layered backend needs at least one layer');
    this.layers = options.layers;
    this.#names = options.layers.map((layer) => layer.name);
    this.#write = options.writeLayer === undefined ? this.layers.length - 1 : this.#names.indexOf(options.writeLayer);
    if (this.#write === -1) {
      throw new ToolError('E_LAYER_INVALID', `no layer ${options.writeLayer} (the layers are ${this.#names.join(', ')})`);
    }
    this.writeLayer = this.layers[this.#write]!;
    const write = this.writeLayer.backend;
    this.name = write.name;
    this.capabilities = { history: write.capabilities.history };
    if (write.history !== undefined) this.history = (db, filter) => write.history!(db, filter);
    if (write.changesSince !== undefined) this.changesSince = (revision) => this.#changesSince(revision);
  }

  async get(db: string, key: string): Promise<RecordData | undefined> {
    return (await this.provenance(db, key))?.record;
  }

  /** The merged record and the layer each of its props (and its type) comes from. */
  async provenance(db: string, key: string): Promise<Provenance | undefined> {
    return mergeStack(this.#names, await this.#stack(db, key));
  }

  async list(db: string): Promise<DbRecord[]> {
    return (await this.listProvenance(db)).map(([key, { record }]) => ({ key, ...record }));
  }

  /** Every merged record with its provenance, in byte order of the keys. */
  async listProvenance(db: string): Promise<[string, Provenance][]> {
    const lists = await Promise.all(this.layers.map((layer) => layer.backend.list(db)));
    const stacks = new Map<string, (RecordData | undefined)[]>();
    lists.forEach((records, i) => {
      for (const record of records) {
        let stack = stacks.get(record.key);
        if (stack === undefined) stacks.set(record.key, (stack = new Array<RecordData | undefined>(this.layers.length).fill(undefined)));
        stack[i] = record;
      }
    });
    return [...stacks.keys()].sort(compareBytes).map((key) => [key, mergeStack(this.#names, stacks.get(key)!)!]);
  }

  async apply(db: string, ops: readonly Op[], options: ApplyOptions = {}): Promise<ApplyResult> {
    const before = await this.#revisions(db);
    if (options.expectRevision !== undefined && options.expectRevision !== sum(before)) {
      throw new DbError('E_DB_CONFLICT', `database ${db} changed since revision ${options.expectRevision}`);
    }
    const plan = await translateOps({ names: this.#names, write: this.#write, stack: (key) => this.#stack(db, key) }, ops);
    // expectRevision holds the write layer still; a lower layer written meanwhile is read as it was (docs/fleet.md)
    const expect = options.expectRevision === undefined ? {} : { expectRevision: before[this.#write]! };
    const result = await this.writeLayer.backend.apply(db, plan.ops, expect);
    const existed = plan.existed.map((value, i) => {
      const at = plan.deletes.get(i);
      return at === undefined ? value : (result.existed[at] ?? false);
    });
    const others = sum(before) - before[this.#write]!;
    return { revision: others + result.revision, existed, changed: result.changed };
  }

  async revision(db: string): Promise<number> {
    return sum(await this.#revisions(db));
  }

  async check(): Promise<void> {
    for (const layer of this.layers) await layer.backend.check?.();
  }

  async close(): Promise<void> {
    for (const backend of new Set(this.layers.map((layer) => layer.backend))) await backend.close();
  }

  /**
   * The write layer's changes after a revision of this view: the other
   * layers' share of it is taken off, and added to each entry's revision,
   * so that what revision() gives can be passed back. Changes of the other
   * layers are not in it (the agent watches each layer itself).
   */
  async #changesSince(revision: number): Promise<ChangeEntry[]> {
    const revisions = await this.#revisions(REVISION_DB);
    const others = sum(revisions) - revisions[this.#write]!;
    const changes = await this.writeLayer.backend.changesSince!(revision - others);
    return changes.map((change) => ({ ...change, revision: change.revision + others }));
  }

  async #stack(db: string, key: string): Promise<(RecordData | undefined)[]> {
    return Promise.all(this.layers.map((layer) => layer.backend.get(db, key)));
  }

  async #revisions(db: string): Promise<number[]> {
    return Promise.all(this.layers.map((layer) => layer.backend.revision(db)));
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
