// Fleet mode on etcd (issue #14), against a real 3-member etcd on 127.0.0.1:
//   1. one fleet-wide change → its file rewritten on every one of N agents (`smeconf agent` processes,
//      each its own root, polling every --poll-ms): the time from the change until each agent's file
//      has it, median and p99 (default 100 agents; --quick: 20);
//   2. 10,000 setprops through the library's EtcdBackend (ConfigDb.setProps, one at a time; --quick 1,000),
//      beside the same on sqlite;
//   3. one idle agent's CPU time per minute (utime + stime from /proc, 60 s; --quick 20 s, scaled).
// Needs etcd (Debian's etcd-server). Stops what it started, by PID; removes its directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUICK, REPO, importPackage, machine } from './_measure.mjs';

const AGENTS = QUICK ? 20 : 100;
const SETPROPS = QUICK ? 1_000 : 10_000;
const IDLE_SECONDS = QUICK ? 20 : 60;
const POLL_MS = 1000;
const TARGET = '/etc/fleet-bench.conf';
const PREFIX = '/fleet-bench';

if (spawnSync('etcd', ['--version']).status !== 0) {
  console.log('fleet: skipped (etcd is not installed: apt-get install etcd-server)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'smeconf-fleet-bench-'));
const children = [];
const start = (argv, env, log) => {
  const out = openSync(join(dir, log), 'a');
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', out, out] });
  children.push(child);
  return child;
};
const freePort = () => new Promise((resolve) => { const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); }); });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (what, probe, ms = 60_000) => {
  for (const deadline = Date.now() + ms; ; await sleep(50)) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

try {
  console.log(machine());
  // the cluster
  const ports = await Promise.all(Array.from({ length: 6 }, freePort));
  const peers = [0, 1, 2].map((i) => `n${i}=http://127.0.0.1:${ports[3 + i]}`).join(',');
  const endpoints = [0, 1, 2].map((i) => `http://127.0.0.1:${ports[i]}`);
  for (const i of [0, 1, 2]) {
    start(['etcd', '--name', `n${i}`, '--data-dir', join(dir, `n${i}`), '--listen-client-urls', endpoints[i], '--advertise-client-urls', endpoints[i],
      '--listen-peer-urls', `http://127.0.0.1:${ports[3 + i]}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${ports[3 + i]}`,
      '--initial-cluster', peers, '--initial-cluster-state', 'new', '--initial-cluster-token', `bench-${process.pid}`, '--max-txn-ops', '10000'], process.env, `n${i}.log`);
  }
  await waitFor('etcd healthy', async () => (await Promise.all(endpoints.map((url) => fetch(`${url}/health`, { signal: AbortSignal.timeout(500) }).then((r) => r.json()).then((j) => j.health === 'true', () => false)))).every(Boolean));

  const env = (root, host) => ({ ...process.env, SMECONF_ROOT: root, SMECONF_BACKEND: 'etcd', SMECONF_ETCD_ENDPOINTS: endpoints.join(','), SMECONF_ETCD_PREFIX: PREFIX,
    SMECONF_LAYERS: 'fleet,host', SMECONF_HOST: host, SMECONF_SERVICE_MANAGER: 'none' });
  const newRoot = (host) => {
    const root = join(dir, host);
    mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
    mkdirSync(join(root, `etc/e-smith/templates${TARGET}`), { recursive: true });
    writeFileSync(join(root, `etc/e-smith/templates${TARGET}/template-begin`), '');
    writeFileSync(join(root, `etc/e-smith/templates${TARGET}/10`), 'motd {{prop "fleetbench" "Motd" "none"}}\n');
    return root;
  };
  const bin = (name) => join(REPO, 'packages/cli/bin', name === 'smeconf' ? 'smeconf.js' : `${name}.cjs`);
  const config = (root, ...args) => {
    const result = spawnSync(process.execPath, [bin('config'), ...args], { env: env(root, 'admin'), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`config ${args.join(' ')}: ${result.stderr}`);
  };

  // 1. change → file on every agent
  const admin = newRoot('admin');
  config(admin, '--layer', 'fleet', 'set', 'fleetbench', 'service', 'Motd', 'first');
  const roots = Array.from({ length: AGENTS }, (_, i) => newRoot(`h${i}`));
  const file = (root) => { try { return readFileSync(join(root, TARGET), 'utf8'); } catch { return undefined; } };
  roots.forEach((root, i) => start([process.execPath, bin('smeconf'), 'agent', '--poll-ms', String(POLL_MS), TARGET], env(root, `h${i}`), `agent-h${i}.log`));
  await waitFor(`${AGENTS} agents synced`, () => roots.every((root) => file(root) === 'motd first\n'), 300_000);
  await sleep(3 * POLL_MS); // every agent in its steady polling
  const changed = Date.now();
  config(admin, '--layer', 'fleet', 'setprop', 'fleetbench', 'Motd', 'second');
  await waitFor(`the change on ${AGENTS} agents`, () => roots.every((root) => file(root) === 'motd second\n'), 120_000);
  const lags = roots.map((root) => statSync(join(root, TARGET)).mtimeMs - changed).sort((a, b) => a - b);
  const at = (q) => lags[Math.min(lags.length - 1, Math.ceil(q * lags.length) - 1)];
  console.log(`change → file on ${AGENTS} agents (agent processes polling every ${POLL_MS} ms): median ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${lags.at(-1).toFixed(0)} ms`);
  for (const child of children.splice(3)) child.kill('SIGTERM');

  // 2. setprops through the library
  const { ConfigDb } = await importPackage('db/dist/index.js');
  const { EtcdBackend } = await importPackage('db-etcd/dist/index.js');
  const { SqliteBackend } = await importPackage('db-sqlite/dist/index.js');
  const setprops = async (backend) => {
    const db = new ConfigDb(backend, 'bench');
    await db.set('rec', 'service');
    const t0 = performance.now();
    for (let i = 0; i < SETPROPS; i++) await db.setProps('rec', new Map([[`p${i % 50}`, String(i)]]));
    const ms = performance.now() - t0;
    await backend.close();
    return ms;
  };
  const etcdMs = await setprops(new EtcdBackend({ endpoints, prefix: `${PREFIX}/setprops` }));
  const sqliteMs = await setprops(new SqliteBackend({ file: join(dir, 'setprops.sqlite') }));
  console.log(`${SETPROPS.toLocaleString('en')} setprops through the library: etcd ${etcdMs.toFixed(0)} ms (${(etcdMs / SETPROPS).toFixed(2)} ms each), sqlite ${sqliteMs.toFixed(0)} ms`);

  // 3. one idle agent's CPU
  const idleRoot = newRoot('idle');
  const idle = start([process.execPath, bin('smeconf'), 'agent', '--poll-ms', String(POLL_MS), TARGET], env(idleRoot, 'idle'), 'agent-idle.log');
  await waitFor('the idle agent synced', () => file(idleRoot) === 'motd second\n');
  await sleep(2 * POLL_MS);
  const cpu = () => { const fields = readFileSync(`/proc/${idle.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(fields[11]) + Number(fields[12])) * 10; }; // clock ticks of 10 ms
  const before = cpu();
  await sleep(IDLE_SECONDS * 1000);
  const perMinute = ((cpu() - before) * 60) / IDLE_SECONDS;
  console.log(`one idle agent (polling every ${POLL_MS} ms): ${perMinute.toFixed(0)} ms CPU per minute (${IDLE_SECONDS} s measured)`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
