import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { makeScratch, run, runAsync, write } from './helpers/cli.ts';
import type { RunResult, Scratch } from './helpers/cli.ts';
import { EtcdCluster, haveEtcd, etcdClientEnv } from './helpers/etcd-cluster.ts';

// Issue #14 item 4: a staged rollout. Three servers (roots) on a real
// 3-member etcd, their agents run as `smeconf agent --once` processes:
// c0 in group canary, h1 and h2 not.

const PREFIX = '/rollout-test';
const TARGET = '/etc/rollout.conf';

describe('smeconf fleet: staged rollout on a 3-member etcd', function () {
  this.timeout(180_000);
  let dir: ReturnType<typeof makeTempDir>;
  let cluster: EtcdCluster;
  let admin: Scratch;
  let c0: Scratch;
  let h1: Scratch;
  let h2: Scratch;

  const newRoot = (host: string, layers: string): Scratch => {
    const scratch = makeScratch('sqlite', { ...etcdClientEnv(cluster, PREFIX), SMECONF_HOST: host, SMECONF_LAYERS: layers });
    write(scratch, `etc/e-smith/templates${TARGET}/template-begin`, ''); // no banner
    write(scratch, `etc/e-smith/templates${TARGET}/10`, 'motd {{prop "rollout" "Motd" "none"}}\nnote {{prop "rollout" "Note" "none"}}\n');
    // the canary's check: its event refuses a "broken" motd
    write(scratch, 'etc/e-smith/events/motd-check/S10check', '#!/bin/sh\n[ "$(config getprop rollout Motd)" = broken ] && { echo "motd refused"; exit 3; }\nexit 0\n', 0o755);
    return scratch;
  };
  const agent = (scratch: Scratch): Promise<RunResult> => runAsync(scratch, 'smeconf', ['agent', '--once', '--on', 'configuration/rollout=motd-check', TARGET]);
  /** One --once step of every agent: c0's result, and h1's and h2's exit 0. */
  const round = async (): Promise<RunResult> => {
    const [canary, ...others] = await Promise.all([c0, h1, h2].map(agent));
    others.forEach((result) => assert.equal(result.status, 0, result.stderr));
    return canary!;
  };
  const file = (scratch: Scratch): string | undefined => (existsSync(join(scratch.path, TARGET)) ? readFileSync(join(scratch.path, TARGET), 'utf8') : undefined);
  const files = () => [c0, h1, h2].map(file);
  const conf = (motd: string, note = 'none') => `motd ${motd}\nnote ${note}\n`;
  const fleet = (...args: string[]) => run(admin, 'smeconf', ['fleet', ...args]);
  const rollout = () => (JSON.parse(fleet('status', '--json').stdout) as { rollout: Record<string, unknown> | null }).rollout;

  before(async function () {
    if (!haveEtcd()) this.skip();
    dir = makeTempDir();
    cluster = await EtcdCluster.start(dir.path, 3);
    admin = newRoot('admin', 'fleet,host');
    c0 = newRoot('c0', 'fleet,group:canary,host');
    h1 = newRoot('h1', 'fleet,host');
    h2 = newRoot('h2', 'fleet,host');
    assert.equal(run(admin, 'config', ['--layer', 'fleet', 'set', 'rollout', 'service', 'Motd', 'hello']).status, 0);
    assert.equal((await round()).status, 0);
    assert.deepEqual(files(), [conf('hello'), conf('hello'), conf('hello')]);
  });
  after(async () => {
    await cluster?.stop();
    for (const scratch of [admin, c0, h1, h2, dir]) scratch?.remove();
  });

  it('apply reaches the canary only; a second apply is refused; promote reaches every server', async () => {
    const applied = fleet('apply', '--setprop', 'configuration', 'rollout', 'Motd', 'canary one');
    assert.equal(applied.status, 0, applied.stderr);
    assert.match(applied.stdout, /^rollout \w+ canary: 1 prop\(s\) to the canaries\n$/);
    assert.equal((await round()).status, 0);
    assert.deepEqual(files(), [conf('canary one'), conf('hello'), conf('hello')]);

    const again = fleet('apply', '--setprop', 'configuration', 'rollout', 'Motd', 'other');
    assert.equal(again.status, 3);
    assert.match(again.stderr, /rollout \w+ is canary: promote or abort it first \[E_ROLLOUT_ACTIVE\]/);

    const promoted = fleet('promote');
    assert.equal(promoted.status, 0, promoted.stderr);
    assert.equal((await round()).status, 0);
    assert.deepEqual(files(), [conf('canary one'), conf('canary one'), conf('canary one')]);
    // the fleet layer has it; the rollout layer is empty again
    assert.equal(run(h1, 'config', ['getprop', 'rollout', 'Motd']).stdout, 'canary one\n');
    assert.equal(rollout()?.['state'], 'promoted');
  });

  it('a change that breaks the canary\'s event stops the rollout by itself; promote is refused; abort restores its file', async () => {
    const changes = join(dir.path, 'changes.txt');
    write({ ...admin, path: dir.path }, 'changes.txt', '# the broken one\nconfiguration rollout Motd broken\nconfiguration rollout Note added by a rollout\n');
    const applied = fleet('apply', changes);
    assert.equal(applied.status, 0, applied.stderr);
    const canary = await round();
    assert.equal(canary.status, 1, 'the failed event');
    assert.match(canary.stderr, /smeconf agent: stopped the rollout: event motd-check failed/);
    assert.deepEqual(files(), [conf('broken', 'added by a rollout'), conf('canary one'), conf('canary one')]);
    const stopped = rollout()!;
    assert.equal(stopped['state'], 'stopped');
    assert.equal(stopped['stoppedBy'], 'c0');

    const refused = fleet('promote');
    assert.equal(refused.status, 3);
    assert.match(refused.stderr, /^smeconf: rollout \w+ was stopped by c0: event motd-check failed.* \[E_ROLLOUT_STOPPED\]\n$/);

    const aborted = fleet('abort');
    assert.equal(aborted.status, 0, aborted.stderr);
    assert.equal((await round()).status, 0);
    assert.deepEqual(files(), [conf('canary one'), conf('canary one'), conf('canary one')]);
    assert.equal(rollout()?.['state'], 'aborted');
  });

  it('abort after a promote puts the fleet layer\'s previous values back (a prop it lacked is deleted) on every server', async () => {
    assert.equal(fleet('apply', '--setprop', 'configuration', 'rollout', 'Motd', 'two', 'Note', 'new').status, 0);
    assert.equal(fleet('promote').status, 0);
    assert.equal((await round()).status, 0);
    assert.deepEqual(files(), [conf('two', 'new'), conf('two', 'new'), conf('two', 'new')]);
    const aborted = fleet('abort');
    assert.equal(aborted.status, 0, aborted.stderr);
    assert.equal((await round()).status, 0);
    assert.deepEqual(files(), [conf('canary one'), conf('canary one'), conf('canary one')]);
    const noneLeft = fleet('abort');
    assert.equal(noneLeft.status, 3);
    assert.match(noneLeft.stderr, /no rollout to abort \(rollout \w+ is aborted\) \[E_ROLLOUT_STATE\]/);
  });

  it('status lists every agent: applied revision, lag, last result, certificate days; then the rollout', () => {
    const text = fleet('status');
    assert.equal(text.status, 0, text.stderr);
    const lines = text.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1).map((line) => line.split('\t')[0]), ['c0', 'h1', 'h2']);
    for (const line of lines.slice(0, -1)) assert.match(line, /^\w+\trevision \d+\tlag \d+\tok\tcertificate -$/);
    assert.match(lines.at(-1)!, /^rollout \w+ aborted \(created \S+ by admin\)$/);
    const json = JSON.parse(fleet('status', '--json').stdout) as { revision: number; hosts: { host: string; revision: number; lag: number }[] };
    for (const host of json.hosts) assert.equal(host.lag, json.revision - host.revision);
  });
});

