import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What the agent has applied to its local copy (docs/fleet.md, The agent). */
export interface AgentState {
  /** The layers the copy was merged from, lowest first: another list means a full re-sync. */
  readonly layers: readonly string[];
  /** Each layer's applied revision: its last change applied, or the revision of its last full read (on etcd: the cluster's revision). */
  readonly revisions: Readonly<Record<string, number>>;
  /** Every database the copy holds from the layers: a full re-sync clears those no layer has any more. */
  readonly databases: readonly string[];
}

/** The state file, or undefined when missing or unreadable (the agent then re-syncs fully). */
export function readState(path: string): AgentState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as AgentState;
    return Array.isArray(parsed.layers) && typeof parsed.revisions === 'object' && Array.isArray(parsed.databases) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole (a temporary file renamed over it): a crash leaves the old state or the new one. */
export function writeState(path: string, state: AgentState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}`;
  writeFileSync(temp, JSON.stringify(state) + '\n');
  renameSync(temp, path);
}
