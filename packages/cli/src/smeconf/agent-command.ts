import { hostname } from 'node:os';
import { join } from 'node:path';
import { ROLLOUT_LAYER, agentStep, effectiveLayers, eventsFor, parseEventRule, readRollout, readState, runAgent, stopRollout, writeState } from '@smeconf/agent';
import type { AgentLayer, AgentOptions } from '@smeconf/agent';
import { collectStatus } from '@smeconf/certificates';
import type { Backend } from '@smeconf/db';
import type { EtcdBackend } from '@smeconf/db-etcd';
import { ToolError, UsageError } from '@smeconf/errors';
import { startWatch } from '@smeconf/watch';
import type { WatchReport, Watching } from '@smeconf/watch';
import { exitCodeFor } from '../exit-codes.ts';
import type { Env, Io } from '../io.ts';
import type { Layout } from '../layout.ts';
import { readCertificateView } from '../cert/view.ts';
import { eventRuntime } from '../event/runtime.ts';
import { signal } from '../event/signal.ts';
import { layerSettings, openLayers } from '../layers.ts';
import { openEtcdStoreAt, openStore } from '../open-db.ts';
import type { SmeconfCommand } from './command.ts';
import { layoutOf } from './command-layout.ts';
import { reporter, watchOptionsFor } from './watch-command.ts';

/** Where the agent keeps its applied revisions (docs/fleet.md, The agent). */
export const AGENT_STATE_FILE = 'var/lib/smeconf/agent.json';

/**
 * `smeconf agent [--once]`: keeps the root's own SQLite store a copy of the
 * server's merged layers in etcd and applies what changes as `smeconf watch`
 * does; reports to `<prefix>/status/<host>`. Long-running until SIGTERM or
 * SIGINT (the current step finishes, exit 0).
 */
export const AGENT_COMMAND: SmeconfCommand = {
  command: 'agent [paths..]',
  describe: "keep this server's local copy of its layers in etcd, apply what changes, report its status",
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'template paths to keep up to date (default: every target of the trees and events)' })
      .option('once', { type: 'boolean', default: false, describe: 'one step (sync, apply, report), then exit' })
      .option('event', { type: 'string', describe: 'signal this event after a change instead of writing the files directly' })
      // repeated, not array: an array option would swallow the PATHs after it
      .option('on', { type: 'string', describe: 'DB/KEY=EVENT or DB/type:TYPE=EVENT: signal EVENT when such a record changes' })
      .option('poll-ms', { type: 'number', default: 1000, describe: 'how often to ask etcd for changes' })
      .option('json', { type: 'boolean', default: false, describe: 'NDJSON on stdout' }),
  task: (args, context) => async () => {
    const layout = layoutOf(args, context);
    if (layout.backend !== 'etcd') throw new UsageError('smeconf agent follows layers in etcd: set SMECONF_BACKEND=etcd (docs/fleet.md)');
    const pollMs = Number(args['poll-ms']);
    if (!(Number.isInteger(pollMs) && pollMs > 0)) throw new UsageError(`--poll-ms must be a number of milliseconds, not ${String(args['poll-ms'])}`);
    const warn = (line: string) => context.io.err(`${line}\n`);
    // the local copy is the root's own store: what the server's bins and events read without SMECONF_BACKEND
    const local: Layout = { ...layout, backend: 'sqlite', layers: undefined };
    const localEnv: Env = { ...context.env, SMECONF_BACKEND: 'sqlite', SMECONF_LAYERS: undefined };
    const store = await openStore(local, warn);
    const statusStore = (await openStore(layout, warn)) as EtcdBackend;
    const layers = await agentLayers(layout, warn);
    // a staged rollout's layer, merged while this server is a canary of one (docs/fleet.md, Staged rollout)
    const rolloutLayer = layers.some((layer) => layer.name === 'group:canary') ? await etcdLayer(layout, ROLLOUT_LAYER, warn) : undefined;
    const layersNow = async () => {
      if (rolloutLayer === undefined) return layers;
      const names = effectiveLayers(layers.map((layer) => layer.name), (await readRollout(statusStore)).state);
      return names.map((name) => layers.find((layer) => layer.name === name) ?? rolloutLayer);
    };
    const host = layout.layers?.hostName ?? hostname();
    const statePath = join(layout.root, AGENT_STATE_FILE);
    const event = args['event'] as string | undefined;
    const rules = ([args['on'] ?? []].flat() as unknown[]).map((rule) => parseEventRule(String(rule)));
    const once = args['once'] === true;
    const report = reporter(context, args['json'] === true);
    const applied = new Applied();
    const watchOptions = {
      ...watchOptionsFor(local, localEnv, context.stockDir, store, args),
      dryRun: false,
      report: (line: WatchReport) => {
        applied.note(line);
        // --once expands and is done: no "watching N targets" line
        if (!(once && line.type === 'ready')) report(line);
      },
    };
    // an event in process, as signal-event runs it, on the copy; its report as text (nothing when it succeeds quietly)
    const runEvent = async (name: string, eventArgs: readonly string[]) => {
      let output = '';
      const io: Io = { out: (text) => (output += text), err: (text) => (output += text) };
      const status = await signal(name, eventArgs, eventRuntime(local, localEnv, context.stockDir, store), store, io, { dryRun: false, json: false, live: false });
      applied.noteEvent({ name, args: eventArgs, ok: status === 0, ...(output !== '' && { output }) });
      return output;
    };
    const runEventOnce = () => runEvent(event!, []);
    // the watcher: expands every target from the copy, then follows the copy's changes
    let watching: Watching | undefined;
    const startWatcher = async () => {
      watching ??= await startWatch({ ...watchOptions, ...(event !== undefined && { signalEvent: runEventOnce }) });
    };
    const options: AgentOptions = {
      host,
      layers: layersNow,
      local: store,
      loadState: () => readState(statePath),
      saveState: (state) => writeState(statePath, state),
      apply: async (result) => {
        await startWatcher();
        if (once) {
          // every target expanded from the copy (unchanged files untouched); the event after a change
          await watching!.close();
          if (event !== undefined && result.changed.length > 0) report({ type: 'event', output: await runEventOnce() });
        }
        for (const call of eventsFor(result.records, rules)) report({ type: 'event', output: await runEvent(call.event, call.args) });
        const taken = applied.take();
        const failure = failureOf(taken);
        if (failure !== undefined && result.state.layers.includes(ROLLOUT_LAYER) && (await stopRollout(statusStore, host, failure))) {
          context.io.err(`smeconf agent: stopped the rollout: ${failure}\n`);
        }
        return taken;
      },
      publish: (status) => statusStore.putValue(`status/${host}`, JSON.stringify(status)),
      certificates: () => certificateSummary(store, layout.root),
      log: (line) => context.io.err(`smeconf agent: ${line}\n`),
    };
    try {
      if (once) {
        await agentStep(options);
        // as signal-event: a failed event handler is exit 1 (its coded line is in the event's output)
        return applied.anyEventFailed ? exitCodeFor('E_EVT_ACTION_FAILED') : 0;
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // a copy synced before is served at once (etcd may be down); a server's first copy only once it is whole
      if (readState(statePath) !== undefined) await startWatcher();
      await runAgent({ ...options, pollMs, maxBackoffMs: Math.max(pollMs, 30_000), heartbeatMs: 60_000, news: () => applied.pending, stop: stop.signal });
      await watching?.close();
      return 0;
    } finally {
      for (const backend of [store, statusStore, ...layers.map((layer) => layer.backend), ...(rolloutLayer ? [rolloutLayer.backend] : [])]) await backend.close();
    }
  },
};

/** The server's layers in etcd (each at its prefix), or the one store when it has none. */
async function agentLayers(layout: Layout, warn: (line: string) => void): Promise<AgentLayer[]> {
  const settings = layerSettings(layout);
  const opened = settings === undefined ? [{ name: 'store', backend: await openStore(layout, warn) }] : await openLayers(layout, settings, warn);
  return opened.map(({ name, backend }) => ({ name, backend, databases: () => (backend as EtcdBackend).databases() }));
}

/** What failed in a step, in one line: a render's problems or a failed event and its output's last line. */
function failureOf(taken: ReturnType<Applied['take']>): string | undefined {
  const render = taken.failed[0];
  if (render !== undefined) return `${render.path}: ${render.problems.join('; ')}`;
  const event = taken.events.find((ran) => !ran.ok);
  if (event === undefined) return undefined;
  const last = event.output?.trim().split('\n').at(-1);
  return `event ${event.name} failed${last ? `: ${last}` : ''}`;
}

/** A layer of the fleet's own at `<prefix>/<name>` (the rollout). */
async function etcdLayer(layout: Layout, name: string, warn: (line: string) => void): Promise<AgentLayer> {
  const backend = await openEtcdStoreAt(layout, name, warn);
  return { name, backend, databases: () => backend.databases() };
}

/** `smeconf cert status` in short, without its served check (no network): its status, codes and days left. */
async function certificateSummary(store: Backend, root: string): Promise<object> {
  try {
    const status = await collectStatus({ ...(await readCertificateView(store, root)), now: new Date(), checkServed: false });
    const codes = [...new Set(status.findings.map((finding) => finding.code))];
    return { status: status.status, daysLeft: status.certificate?.daysLeft ?? null, notAfter: status.certificate?.notAfter ?? null, codes };
  } catch (error) {
    return { error: error instanceof ToolError ? `${error.code}: ${error.message}` : (error as Error).message };
  }
}

interface EventResult {
  readonly name: string;
  readonly args: readonly string[];
  readonly ok: boolean;
  readonly output?: string;
}

/** What the watcher and the event did since the last status: its `applied` part. */
class Applied {
  #written: string[] = [];
  #failed: { path: string; problems: readonly string[] }[] = [];
  #events: EventResult[] = [];
  /** The last event run (kept in every status until another runs). */
  #lastEvent: EventResult | undefined;
  /** An event failed in this process (--once's exit status). */
  anyEventFailed = false;

  /** Something happened since the last take(). */
  get pending(): boolean {
    return this.#written.length > 0 || this.#failed.length > 0 || this.#events.length > 0;
  }

  note(report: WatchReport): void {
    if (report.type === 'written') this.#written.push(report.path);
    if (report.type === 'failed') this.#failed.push({ path: report.path, problems: report.problems });
  }

  noteEvent(result: EventResult): void {
    this.#events.push(result);
    this.#lastEvent = result;
    this.anyEventFailed ||= !result.ok;
  }

  take(): { written: string[]; failed: { path: string; problems: readonly string[] }[]; events: EventResult[]; lastEvent?: EventResult } {
    const taken = { written: this.#written, failed: this.#failed, events: this.#events, ...(this.#lastEvent && { lastEvent: this.#lastEvent }) };
    this.#written = [];
    this.#failed = [];
    this.#events = [];
    return taken;
  }
}
