import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { freePort, waitFor } from './processes.ts';

/** Whether Debian's etcd-server is installed (CI installs it: .ci/run). */
export function haveEtcd(): boolean {
  return spawnSync('etcd', ['--version']).status === 0;
}

/** The server side of TLS: PEM files of the member's certificate and key, and the CA clients' certificates come from. */
export interface EtcdServerTls {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** One member: started, SIGKILLed and restarted on its data directory, by PID. */
export class EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  /** Plain http /health (the client URL, or with TLS a metrics listener). */
  readonly #healthUrl: string;
  readonly #argv: readonly string[];
  readonly #log: string;
  #child: ChildProcess | undefined;

  constructor(name: string, clientUrl: string, healthUrl: string, argv: readonly string[], log: string) {
    this.name = name;
    this.clientUrl = clientUrl;
    this.#healthUrl = healthUrl;
    this.#argv = argv;
    this.#log = log;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  start(): void {
    if (this.#child !== undefined) return;
    const out = openSync(this.#log, 'a');
    this.#child = spawn('etcd', this.#argv, { stdio: ['ignore', out, out] });
  }

  /** SIGKILL, and wait until the process is gone (its ports free again). */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Whether this member is the leader (maintenance/status: its id is the leader's; plain http clusters). */
  async isLeader(): Promise<boolean> {
    return new Promise((resolve) => {
      const request = http.request(`${this.clientUrl}/v3/maintenance/status`, { method: 'POST', timeout: 1000 }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          try {
            const status = JSON.parse(body) as { header?: { member_id?: string }; leader?: string };
            resolve(status.leader !== undefined && status.leader === status.header?.member_id);
          } catch {
            resolve(false);
          }
        });
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
      request.end('{}');
    });
  }

  async healthy(): Promise<boolean> {
    return new Promise((resolve) => {
      // /health waits up to 1 s while there is no leader: ask briefly and often
      const request = http.get(`${this.#healthUrl}/health`, { timeout: 300 }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(/"health":\s*"true"/.test(body)));
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
    });
  }
}

/**
 * A 1- or 3-member etcd on 127.0.0.1 free ports with throwaway data under
 * `dir`, stopped by PID (SIGKILL) in after(). Transactions up to 10000 ops
 * (etcd's default --max-txn-ops is 128: docs/fleet.md).
 */
export class EtcdCluster {
  readonly members: readonly EtcdMember[];

  private constructor(members: readonly EtcdMember[]) {
    this.members = members;
  }

  get endpoints(): string[] {
    return this.members.map((member) => member.clientUrl);
  }

  /** With `tls`, clients must speak https and show a certificate the CA signed (--client-cert-auth). */
  static async start(dir: string, size: 1 | 3, tls?: EtcdServerTls): Promise<EtcdCluster> {
    const ports: [number, number, number][] = [];
    for (let i = 0; i < size; i++) ports.push([await freePort(), await freePort(), await freePort()]);
    const scheme = tls === undefined ? 'http' : 'https';
    const tlsArgs = tls === undefined ? [] : ['--cert-file', tls.certFile, '--key-file', tls.keyFile, '--trusted-ca-file', tls.caFile, '--client-cert-auth'];
    const token = `smeconf-test-${process.pid}-${Date.now()}`;
    const initial = ports.map(([, peer], i) => `m${i}=http://127.0.0.1:${peer}`).join(',');
    const members = ports.map(([client, peer, metrics], i) => {
      const name = `m${i}`;
      mkdirSync(dir, { recursive: true });
      const argv = [
        '--name', name, '--data-dir', join(dir, name),
        '--listen-client-urls', `${scheme}://127.0.0.1:${client}`, '--advertise-client-urls', `${scheme}://127.0.0.1:${client}`,
        '--listen-metrics-urls', `http://127.0.0.1:${metrics}`, ...tlsArgs,
        '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
        '--initial-cluster', initial, '--initial-cluster-state', 'new', '--initial-cluster-token', token,
        '--max-txn-ops', '10000', '--logger', 'zap', '--log-outputs', join(dir, `${name}.log`),
      ];
      return new EtcdMember(name, `${scheme}://127.0.0.1:${client}`, `http://127.0.0.1:${metrics}`, argv, join(dir, `${name}.out`));
    });
    const cluster = new EtcdCluster(members);
    for (const member of members) member.start();
    try {
      await cluster.waitHealthy();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Every running member says it is healthy (it has a leader). */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    await waitFor('etcd healthy', async () => (await Promise.all(this.members.filter((m) => m.running).map((m) => m.healthy()))).every(Boolean), timeoutMs);
  }

  /** The index of the leader (bounded wait: a cluster just formed may not have one yet). */
  async leader(): Promise<number> {
    const oneBased = await waitFor('an etcd leader', async () => {
      for (const [i, member] of this.members.entries()) if (member.running && (await member.isLeader())) return i + 1;
      return 0;
    });
    return oneBased - 1;
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.kill()));
  }
}

/** The environment of a bin that uses `cluster` at `prefix` (500 ms attempts: a test's dead member fails fast); no service manager. */
export function etcdClientEnv(cluster: EtcdCluster, prefix: string): NodeJS.ProcessEnv {
  return {
    SMECONF_BACKEND: 'etcd',
    SMECONF_ETCD_ENDPOINTS: cluster.endpoints.join(','),
    SMECONF_ETCD_PREFIX: prefix,
    SMECONF_ETCD_TIMEOUT_MS: '500',
    SMECONF_SERVICE_MANAGER: 'none',
  };
}
