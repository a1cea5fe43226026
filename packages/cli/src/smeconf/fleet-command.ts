import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ROLLOUT_LAYER, abortRollout, applyRollout, promoteRollout, readRollout } from '@smeconf/agent';
import type { RolloutChange, RolloutState, RolloutStores } from '@smeconf/agent';
import type { EtcdBackend } from '@smeconf/db-etcd';
import { UsageError } from '@smeconf/errors';
import type { Io } from '../io.ts';
import { openEtcdStoreAt, openStore } from '../open-db.ts';
import type { SmeconfCommand } from './command.ts';
import { layoutOf } from './command-layout.ts';

const ACTIONS = ['apply', 'status', 'promote', 'abort'] as const;

/**
 * `smeconf fleet apply|status|promote|abort`: a staged rollout of a change
 * set, canaries first (docs/fleet.md, Staged rollout), and the agents' reports.
 */
export const FLEET_COMMAND: SmeconfCommand = {
  command: 'fleet <action> [args..]',
  describe: 'staged rollout on etcd: apply FILE | apply --setprop DB KEY PROP VALUE…, status, promote, abort',
  rootless: true,
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ACTIONS })
      .positional('args', { type: 'string', array: true, describe: 'apply: FILE (lines "DB KEY PROP VALUE"), or with --setprop: DB KEY PROP VALUE [PROP VALUE…]' })
      .option('setprop', { type: 'boolean', default: false, describe: 'apply: the change set from the arguments, as config setprop' })
      .option('json', { type: 'boolean', default: false, describe: 'status: one JSON document' }),
  task: (args, context) => async () => {
    const layout = layoutOf(args, context);
    if (layout.backend !== 'etcd') throw new UsageError('smeconf fleet works on layers in etcd: set SMECONF_BACKEND=etcd (docs/fleet.md)');
    const rest = ((args['args'] as unknown[] | undefined) ?? []).map(String);
    const warn = (line: string) => context.io.err(`${line}\n`);
    const control = (await openStore(layout, warn)) as EtcdBackend;
    const stores: RolloutStores = { fleet: await openEtcdStoreAt(layout, 'fleet', warn), rollout: await openEtcdStoreAt(layout, ROLLOUT_LAYER, warn), control };
    try {
      switch (args['action'] as (typeof ACTIONS)[number]) {
        case 'apply': {
          const changes = args['setprop'] === true ? setpropChanges(rest) : fileChanges(rest);
          const by = layout.layers?.hostName ?? hostname();
          context.io.out(`${summary(await applyRollout(stores, changes, by, new Date()))}: ${changes.length} prop(s) to the canaries\n`);
          return 0;
        }
        case 'promote':
          context.io.out(`${summary(await promoteRollout(stores))}: in the fleet layer\n`);
          return 0;
        case 'abort':
          context.io.out(`${summary(await abortRollout(stores))}: the previous values are back\n`);
          return 0;
        case 'status':
          await printStatus(control, args['json'] === true, context.io);
          return 0;
      }
    } finally {
      for (const backend of [control, stores.fleet, stores.rollout]) await backend.close();
    }
  },
};

/** `--setprop DB KEY PROP VALUE [PROP VALUE…]`. */
function setpropChanges(rest: readonly string[]): RolloutChange[] {
  if (rest.length < 4 || rest.length % 2 !== 0) throw new UsageError('fleet apply --setprop DB KEY PROP VALUE [PROP VALUE…]');
  const [db, key, ...pairs] = rest as [string, string, ...string[]];
  const changes: RolloutChange[] = [];
  for (let i = 0; i < pairs.length; i += 2) changes.push({ db, key, prop: pairs[i]!, value: pairs[i + 1]! });
  return changes;
}

/** FILE: a line `DB KEY PROP VALUE` per prop (the value is the rest of the line); blank lines and `#` comments skipped. */
function fileChanges(rest: readonly string[]): RolloutChange[] {
  if (rest.length !== 1) throw new UsageError('fleet apply FILE, or fleet apply --setprop DB KEY PROP VALUE [PROP VALUE…]');
  let text: string;
  try {
    text = readFileSync(rest[0]!, 'utf8');
  } catch (error) {
    throw new UsageError(`fleet apply: cannot read ${rest[0]}: ${(error as Error).message}`);
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return [];
    const match = /^(\S+) (\S+) (\S+) (.*)$/.exec(line);
    if (match === null) throw new UsageError(`fleet apply: ${rest[0]}:${i + 1}: expected "DB KEY PROP VALUE"`);
    return [{ db: match[1]!, key: match[2]!, prop: match[3]!, value: match[4]! }];
  });
}

function summary(state: RolloutState): string {
  return `rollout ${state.id} ${state.state}`;
}

interface AgentReport {
  host?: string;
  revision?: number;
  sync?: { error?: string };
  applied?: { failed?: unknown[]; lastEvent?: { name: string; ok: boolean } };
  certificates?: { daysLeft?: number | null; error?: string };
}

/** Every agent's `status/<host>`: its applied revision, lag, last result, certificate days left; then the rollout. */
async function printStatus(control: EtcdBackend, json: boolean, io: Io): Promise<void> {
  const revision = await control.revision();
  const hosts = (await control.values('status')).map(({ name, value }) => {
    const report = JSON.parse(value) as AgentReport;
    const applied = Number(report.revision ?? 0);
    return { host: name, revision: applied, lag: Math.max(0, revision - applied), result: resultOf(report), certificateDaysLeft: report.certificates?.daysLeft ?? null };
  });
  const rollout = (await readRollout(control)).state ?? null;
  if (json) {
    io.out(`${JSON.stringify({ revision, hosts, rollout })}\n`);
    return;
  }
  for (const host of hosts) {
    io.out(`${host.host}\trevision ${host.revision}\tlag ${host.lag}\t${host.result}\tcertificate ${host.certificateDaysLeft === null ? '-' : `${host.certificateDaysLeft} days`}\n`);
  }
  if (rollout === null) io.out('rollout: none\n');
  else io.out(`${summary(rollout)} (created ${rollout.created} by ${rollout.by}${rollout.stoppedBy ? `; stopped by ${rollout.stoppedBy}: ${rollout.error ?? ''}` : ''})\n`);
}

function resultOf(report: AgentReport): string {
  if (report.sync?.error !== undefined) return `error: ${report.sync.error}`;
  if ((report.applied?.failed?.length ?? 0) > 0) return 'failed: a template';
  const event = report.applied?.lastEvent;
  if (event !== undefined && !event.ok) return `failed: event ${event.name}`;
  return 'ok';
}
