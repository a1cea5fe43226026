import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.ts';
import { Processes, freePort, waitFor } from './processes.ts';

// A private ACME CA on 127.0.0.1 for end-to-end tests: pebble, with
// pebble-challtestsrv as its DNS (only the given names resolve, to
// 127.0.0.1), and a node backend standing in for Odoo. Everything started
// is registered in `processes`, stopped by PID by the caller's after().

/** The programs the whole HTTPS story needs. */
export const ACME_LAB_PROGRAMS = ['/usr/bin/pebble', '/usr/bin/pebble-challtestsrv', '/usr/sbin/apache2', '/usr/bin/dehydrated', '/usr/bin/curl', '/usr/bin/openssl'];

/** Those of ACME_LAB_PROGRAMS that are not installed. */
export const missingAcmePrograms = (): string[] => ACME_LAB_PROGRAMS.filter((path) => !existsSync(path));

export interface AcmeLab {
  /** dns: challtestsrv's DNS (what pebble and the preflight ask), dnsMgmt: its management API. */
  readonly ports: Record<'acme' | 'http' | 'https' | 'backend' | 'dns' | 'dnsMgmt', number>;
  /** The CA of pebble's own listener: dehydrated's CABundle. */
  readonly listenerCa: string;
  /** pebble's issuing root: what a client trusts for the issued certificate. */
  readonly root: string;
  /** listenerCa and root in one file: letsencrypt CABundle for dehydrated and for the chain check of cert status. */
  readonly caBundle: string;
  readonly acmeDirectory: string;
  /** pebble's process: a test stops it (by its PID) to take the CA down. */
  readonly pebble: ChildProcess;
}

export interface AcmeLabOptions {
  /** pebble's certificateValidityPeriod in seconds (default: pebble's 5 years). */
  readonly validitySeconds?: number;
}

/** Points `name`'s A record in challtestsrv at `address` (replacing what it had). */
export function setAddress(lab: AcmeLab, name: string, address: string): void {
  const api = (path: string, body: object) => sh(['curl', '-sSf', '-X', 'POST', '-d', JSON.stringify(body), `http://127.0.0.1:${lab.ports.dnsMgmt}/${path}`]);
  api('clear-a', { host: name });
  const added = api('add-a', { host: name, addresses: [address] });
  if (added.status !== 0) throw new Error(`challtestsrv add-a ${name}: ${added.out}`);
}

export function sh(argv: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): { status: number | null; out: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: options.env ?? process.env, timeout: options.timeout ?? 30_000 });
  return { status: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Starts DNS, pebble and the backend in `dir`; `names` resolve to 127.0.0.1. */
export async function startAcmeLab(dir: string, names: readonly string[], processes: Processes, options: AcmeLabOptions = {}): Promise<AcmeLab> {
  const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  const [acme, mgmt, dns, dnsMgmt, http, https, tlsAlpn, backend] = ports as [number, number, number, number, number, number, number, number];
  mkdirSync(dir, { recursive: true });
  const log = (name: string) => join(dir, `${name}.log`);

  // pebble's listener needs a certificate (Debian's package ships none)
  const ca = join(dir, 'ca.pem');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  sh(['openssl', 'req', '-x509', ...ec, '-days', '2', '-subj', '/CN=lab listener CA', '-keyout', join(dir, 'ca.key'), '-out', ca]);
  sh(['openssl', 'req', ...ec, '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'listener.csr')]);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n');
  sh(['openssl', 'x509', '-req', '-in', join(dir, 'listener.csr'), '-CA', ca, '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', '2', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'cert.pem')]);

  processes.start(['pebble-challtestsrv', '-defaultIPv4', '', '-defaultIPv6', '', '-dns01', `127.0.0.1:${dns}`, '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', `127.0.0.1:${dnsMgmt}`], log('challtestsrv'));
  await waitFor('challtestsrv', () => sh(['curl', '-s', '-o', '/dev/null', `http://127.0.0.1:${dnsMgmt}/`]).status === 0);
  for (const name of names) sh(['curl', '-sS', '-X', 'POST', '-d', JSON.stringify({ host: name, addresses: ['127.0.0.1'] }), `http://127.0.0.1:${dnsMgmt}/add-a`]);

  writeFileSync(join(dir, 'pebble.json'), JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${acme}`, managementListenAddress: `127.0.0.1:${mgmt}`,
      certificate: join(dir, 'cert.pem'), privateKey: join(dir, 'key.pem'),
      httpPort: http, tlsPort: tlsAlpn, ocspResponderURL: '', externalAccountBindingRequired: false,
      ...(options.validitySeconds !== undefined && { certificateValidityPeriod: options.validitySeconds }),
    },
  }));
  const pebbleEnv = { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' };
  const pebble = processes.start(['pebble', '-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dns}`, '-strict=false'], log('pebble'), pebbleEnv);
  await waitFor('pebble', () => sh(['curl', '-sf', '--cacert', ca, `https://127.0.0.1:${acme}/dir`]).status === 0);
  const root = join(dir, 'pebble-root.pem');
  const fetched = sh(['curl', '-sSf', '--cacert', ca, `https://127.0.0.1:${mgmt}/roots/0`, '-o', root]);
  if (fetched.status !== 0) throw new Error(`pebble's root: ${fetched.out}`);
  const caBundle = join(dir, 'ca-bundle.pem');
  writeFileSync(caBundle, readFileSync(ca, 'utf8') + readFileSync(root, 'utf8'));

  processes.start([process.execPath, join(REPO, 'test/fixtures/odoo-backend.mjs'), String(backend)], log('backend'));
  await waitFor('the backend', () => sh(['curl', '-sf', `http://127.0.0.1:${backend}/`]).status === 0);
  return { ports: { acme, http, https, backend, dns, dnsMgmt }, listenerCa: ca, root, caBundle, acmeDirectory: `https://127.0.0.1:${acme}/dir`, pebble };
}
