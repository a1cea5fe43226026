import type { Backend } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import type { AgentState } from './state-file.ts';
import type { AgentLayer, SyncResult } from './sync.ts';
import { syncLayers } from './sync.ts';

/** What the agent reports at `status/<host>`: a plain JSON value (docs/fleet.md, The agent). */
export interface AgentStatus {
  readonly host: string;
  /** The newest applied layer revision (etcd's revision of the last change applied, or of the last full read). */
  readonly revision: number;
  readonly time: string;
  /** The last step: its changed databases, whether it re-synced fully; or its error. */
  readonly sync: { readonly full: boolean; readonly changed: readonly string[] } | { readonly error: string };
  /** What applying the copy did (renders, the event and its result), as the caller tells it. */
  readonly applied?: unknown;
  /** The server's certificate in short, as the caller tells it. */
  readonly certificates?: unknown;
}

export interface AgentOptions {
  readonly host: string;
  /** The layers to merge, or a function asked each step (a staged rollout changes the list). */
  readonly layers: readonly AgentLayer[] | (() => Promise<readonly AgentLayer[]>);
  /** The local copy: the server's own store. */
  readonly local: Backend;
  readonly loadState: () => AgentState | undefined;
  readonly saveState: (state: AgentState) => void;
  /** After every step: runs what its changes affect (or reports what a watcher did); its answer goes into the status. */
  readonly apply: (result: SyncResult) => Promise<unknown>;
  readonly publish: (status: AgentStatus) => Promise<void>;
  /** The certificate summary of a published status (from the local copy and files: no network). */
  readonly certificates?: () => Promise<unknown>;
  readonly log: (line: string) => void;
}

/**
 * One step: sync the local copy, save the revision, apply, publish the
 * status. The revision is saved only after every database's batch is in
 * the copy: a crash before it repeats the step (merging again changes nothing).
 */
export async function agentStep(options: AgentOptions, publish: (result: SyncResult) => boolean = () => true): Promise<SyncResult> {
  const layers = typeof options.layers === 'function' ? await options.layers() : options.layers;
  const result = await syncLayers(layers, options.local, options.loadState());
  options.saveState(result.state);
  if (result.full) options.log(`full re-sync (${result.reason}): ${result.changed.length} database(s) changed`);
  // decided before apply: the caller's news are taken by it
  const due = publish(result);
  const applied = await options.apply(result);
  if (!due) return result;
  const certificates = await options.certificates?.();
  await options.publish({ ...statusOf(options.host, result.state, { full: result.full, changed: result.changed }, applied), ...(certificates !== undefined && { certificates }) });
  return result;
}

export interface LoopOptions extends AgentOptions {
  /** Between steps. */
  readonly pollMs: number;
  /** The longest wait after failures (the wait doubles from pollMs). */
  readonly maxBackoffMs: number;
  /** A step that changed nothing publishes the status only this often (a heartbeat)... */
  readonly heartbeatMs: number;
  /** ...or when the caller has news since the last status (a watcher that wrote files after it). */
  readonly news?: () => boolean;
  readonly stop: AbortSignal;
}

/**
 * The long-running agent: a step every pollMs; after a failure (cluster
 * unreachable, no quorum) the local copy stays as it is, the error is
 * logged and published if possible, and the next step waits twice as long
 * (at most maxBackoffMs). Stopping lets the current step finish.
 */
export async function runAgent(options: LoopOptions): Promise<void> {
  let wait = options.pollMs;
  let published = 0;
  let failed = false;
  // a status after a change, a full re-sync, a failure's end, news, or as a heartbeat: not a write to etcd every step
  const due = (result: SyncResult) => result.changed.length > 0 || result.full || failed || options.news?.() === true || Date.now() - published >= options.heartbeatMs;
  while (!options.stop.aborted) {
    try {
      await agentStep(options, (result) => {
        const publish = due(result);
        if (publish) published = Date.now();
        return publish;
      });
      failed = false;
      wait = options.pollMs;
    } catch (error) {
      const message = error instanceof ToolError ? `${error.code}: ${error.message}` : (error as Error).message;
      options.log(`step failed, keeping the local copy (next try in ${wait} ms): ${message}`);
      failed = true;
      await options.publish(statusOf(options.host, options.loadState(), { error: message })).catch(() => undefined);
      wait = Math.min(wait * 2, options.maxBackoffMs);
    }
    await sleep(wait, options.stop);
  }
}

function statusOf(host: string, state: AgentState | undefined, sync: AgentStatus['sync'], applied?: unknown): AgentStatus {
  const revisions = Object.values(state?.revisions ?? {});
  return { host, revision: revisions.length === 0 ? 0 : Math.max(...revisions), time: new Date().toISOString(), sync, ...(applied !== undefined && { applied }) };
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
  });
}
