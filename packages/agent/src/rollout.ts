import { randomUUID } from 'node:crypto';
import type { Backend, Op } from '@smeconf/db';
import { ToolError, UsageError } from '@smeconf/errors';

/**
 * A staged rollout (docs/fleet.md, Staged rollout): a change set in a layer
 * of its own, `rollout`, seen only by the `group:canary` servers until it is
 * promoted into the fleet layer, or aborted. Its state is one control value
 * next to the layers. No environment here: the CLI opens the stores.
 */
export type RolloutPhase = 'canary' | 'stopped' | 'promoted' | 'aborted';

/** The fleet layer's record before a promote: its type (null: no record) and each touched prop (null: unset). */
export interface PreviousRecord {
  readonly db: string;
  readonly key: string;
  readonly type: string | null;
  readonly props: Readonly<Record<string, string | null>>;
}

export interface RolloutState {
  readonly id: string;
  readonly state: RolloutPhase;
  readonly created: string;
  readonly by: string;
  readonly stoppedBy?: string;
  readonly error?: string;
  readonly previous?: readonly PreviousRecord[];
}

/** Plain values next to the layers (etcd: `<prefix>/<name>`), written by compare-and-swap. */
export interface ControlValues {
  /** The value and its mod revision, or undefined when absent. */
  getValue(name: string): Promise<{ value: string; mod: number } | undefined>;
  /** Writes unless the value's mod revision is no longer `expectMod` (0: absent); the new mod revision, or undefined when it was. */
  putValueIf(name: string, value: string, expectMod: number): Promise<number | undefined>;
}

/** A layer's store and the databases it holds. */
export interface LayerStore extends Backend {
  databases(): Promise<string[]>;
}

export interface RolloutStores {
  readonly fleet: LayerStore;
  readonly rollout: LayerStore;
  readonly control: ControlValues;
}

/** One prop a change set sets: `DB KEY PROP VALUE`. */
export interface RolloutChange {
  readonly db: string;
  readonly key: string;
  readonly prop: string;
  readonly value: string;
}

export const ROLLOUT_LAYER = 'rollout';
export const ROLLOUT_STATE = 'rollout-state';
const CANARY_GROUP = 'group:canary';
const VISIBLE: readonly RolloutPhase[] = ['canary', 'stopped'];

/**
 * The layers an agent merges: its own, with `rollout` right above `fleet`
 * (below its groups and host) when it is in group canary and a rollout is
 * in canary or stopped.
 */
export function effectiveLayers(configured: readonly string[], rollout: RolloutState | undefined): string[] {
  if (!configured.includes(CANARY_GROUP) || rollout === undefined || !VISIBLE.includes(rollout.state)) return [...configured];
  const at = configured[0] === 'fleet' ? 1 : 0;
  return [...configured.slice(0, at), ROLLOUT_LAYER, ...configured.slice(at)];
}

export async function readRollout(control: ControlValues): Promise<{ state: RolloutState | undefined; mod: number }> {
  const found = await control.getValue(ROLLOUT_STATE);
  return found === undefined ? { state: undefined, mod: 0 } : { state: JSON.parse(found.value) as RolloutState, mod: found.mod };
}

/** `smeconf fleet apply`: the change set into the rollout layer (one batch per database), then the state `canary`. */
export async function applyRollout(stores: RolloutStores, changes: readonly RolloutChange[], by: string, now: Date): Promise<RolloutState> {
  if (changes.length === 0) throw new UsageError('fleet apply: the change set is empty');
  const { state, mod } = await readRollout(stores.control);
  if (state !== undefined && VISIBLE.includes(state.state)) {
    throw new ToolError('E_ROLLOUT_ACTIVE', `rollout ${state.id} is ${state.state}: promote or abort it first`);
  }
  const byDb = new Map<string, Map<string, Map<string, string>>>();
  for (const { db, key, prop, value } of changes) {
    const keys = byDb.get(db) ?? byDb.set(db, new Map()).get(db)!;
    (keys.get(key) ?? keys.set(key, new Map()).get(key)!).set(prop, value);
  }
  for (const [db, keys] of byDb) {
    const ops: Op[] = [];
    for (const [key, props] of keys) {
      // as `setprop`: the record must exist (the fleet layer gives its type)
      const fleetRecord = await stores.fleet.get(db, key);
      if (fleetRecord === undefined) throw new UsageError(`fleet apply: the fleet layer has no record ${key} in ${db} (create it with config --layer fleet set)`);
      ops.push({ op: 'set', key, record: { type: fleetRecord.type, props } });
    }
    await stores.rollout.apply(db, ops);
  }
  const next: RolloutState = { id: randomUUID().slice(0, 8), state: 'canary', created: now.toISOString(), by };
  await writeState(stores.control, next, mod);
  return next;
}

/** A canary's failed event or render with the rollout in view: `canary` becomes `stopped` (false: it was not canary). */
export async function stopRollout(control: ControlValues, host: string, error: string): Promise<boolean> {
  const { state, mod } = await readRollout(control);
  if (state?.state !== 'canary') return false;
  // compare-and-swap: of two canaries failing at once, one stops it, the other sees it stopped
  return (await control.putValueIf(ROLLOUT_STATE, JSON.stringify({ ...state, state: 'stopped', stoppedBy: host, error }), mod)) !== undefined;
}

/** `smeconf fleet promote`: from `canary` only; the fleet layer's previous values kept in the state, the change set moved into the fleet layer. */
export async function promoteRollout(stores: RolloutStores): Promise<RolloutState> {
  const { state, mod } = await readRollout(stores.control);
  if (state?.state === 'stopped') {
    throw new ToolError('E_ROLLOUT_STOPPED', `rollout ${state.id} was stopped by ${state.stoppedBy ?? 'a canary'}: ${state.error ?? 'its event failed'} (fleet abort reverts it)`);
  }
  if (state?.state !== 'canary') throw new ToolError('E_ROLLOUT_STATE', `no rollout in canary to promote (${describe(state)})`);
  const previous: PreviousRecord[] = [];
  const moves = new Map<string, Op[]>();
  for (const db of await stores.rollout.databases()) {
    const ops: Op[] = [];
    for (const { key, type, props } of await stores.rollout.list(db)) {
      const before = await stores.fleet.get(db, key);
      previous.push({ db, key, type: before?.type ?? null, props: Object.fromEntries([...props.keys()].map((name) => [name, before?.props.get(name) ?? null])) });
      ops.push(before === undefined ? { op: 'set', key, record: { type, props } } : { op: 'setProps', key, props });
    }
    moves.set(db, ops);
  }
  // the previous values first, in the state (compare-and-swap: a canary that stops it meanwhile wins)
  const kept = { ...state, previous };
  const keptMod = await writeState(stores.control, kept, mod);
  for (const [db, ops] of moves) await stores.fleet.apply(db, ops);
  await clearLayer(stores.rollout);
  // the fleet layer has it now: promoted, whatever a canary wrote meanwhile (abort then restores `previous`)
  const promoted: RolloutState = { ...kept, state: 'promoted' };
  let current = keptMod;
  while ((await stores.control.putValueIf(ROLLOUT_STATE, JSON.stringify(promoted), current)) === undefined) current = (await readRollout(stores.control)).mod;
  return promoted;
}

/** `smeconf fleet abort`: from canary/stopped the rollout layer is cleared; from promoted the fleet layer's previous values come back. */
export async function abortRollout(stores: RolloutStores): Promise<RolloutState> {
  for (;;) {
    const { state, mod } = await readRollout(stores.control);
    if (state === undefined || state.state === 'aborted') throw new ToolError('E_ROLLOUT_STATE', `no rollout to abort (${describe(state)})`);
    if (state.state === 'promoted') await restore(stores.fleet, state.previous ?? []);
    else await clearLayer(stores.rollout);
    const aborted: RolloutState = { ...state, state: 'aborted' };
    // a canary that stopped it meanwhile changed the state: read it again (clearing again is harmless)
    if ((await stores.control.putValueIf(ROLLOUT_STATE, JSON.stringify(aborted), mod)) !== undefined) return aborted;
  }
}

async function restore(fleet: LayerStore, previous: readonly PreviousRecord[]): Promise<void> {
  const byDb = new Map<string, Op[]>();
  for (const { db, key, type, props } of previous) {
    const ops = byDb.get(db) ?? byDb.set(db, []).get(db)!;
    if (type === null) {
      ops.push({ op: 'delete', key });
      continue;
    }
    const entries = Object.entries(props);
    const unset = entries.filter(([, value]) => value === null).map(([name]) => name);
    if (unset.length > 0) ops.push({ op: 'delProps', key, names: unset });
    const set = entries.filter((entry): entry is [string, string] => entry[1] !== null);
    if (set.length > 0) ops.push({ op: 'setProps', key, props: new Map(set) });
  }
  for (const [db, ops] of byDb) await fleet.apply(db, ops);
}

async function clearLayer(layer: LayerStore): Promise<void> {
  for (const db of await layer.databases()) await layer.apply(db, [{ op: 'clear' }]);
}

async function writeState(control: ControlValues, state: RolloutState, mod: number): Promise<number> {
  const written = await control.putValueIf(ROLLOUT_STATE, JSON.stringify(state), mod);
  if (written === undefined) throw new ToolError('E_ROLLOUT_STATE', `the rollout state changed meanwhile (another fleet command, or a canary that stopped it): run fleet status and try again`);
  return written;
}

function describe(state: RolloutState | undefined): string {
  return state === undefined ? 'none was applied' : `rollout ${state.id} is ${state.state}`;
}
