import { join } from 'node:path';
import { Processes, freePort, waitFor } from './processes.ts';

/**
 * pebble-challtestsrv as a DNS server on 127.0.0.1, nothing else: no
 * default answers (a name without a record is NODATA, as a missing record
 * is in real life), no HTTP-01/TLS-ALPN listeners. Records are changed
 * through its management API. Registered in `processes`, stopped by PID.
 */
export interface MockDns {
  /** `127.0.0.1:PORT`: for letsencrypt CheckResolver. */
  readonly server: string;
  /** Replaces the name's A records. */
  setA(host: string, addresses: readonly string[]): Promise<void>;
  setAAAA(host: string, addresses: readonly string[]): Promise<void>;
  /** The name answers SERVFAIL from now on. */
  servfail(host: string): Promise<void>;
}

export const CHALLTESTSRV = '/usr/bin/pebble-challtestsrv';

export async function startMockDns(dir: string, processes: Processes): Promise<MockDns> {
  const [dns, management] = [await freePort(), await freePort()];
  processes.start(
    [CHALLTESTSRV, '-defaultIPv4', '', '-defaultIPv6', '', '-dns01', `127.0.0.1:${dns}`, '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', `127.0.0.1:${management}`],
    join(dir, 'challtestsrv.log'),
  );
  const post = async (path: string, body: object) => {
    const response = await fetch(`http://127.0.0.1:${management}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`challtestsrv ${path}: ${response.status}`);
  };
  // it opens the DNS listener before the management one
  await waitFor('challtestsrv', () => fetch(`http://127.0.0.1:${management}/`).then(() => true, () => false));
  return {
    server: `127.0.0.1:${dns}`,
    setA: async (host, addresses) => {
      await post('/clear-a', { host });
      if (addresses.length > 0) await post('/add-a', { host, addresses });
    },
    setAAAA: async (host, addresses) => {
      await post('/clear-aaaa', { host });
      if (addresses.length > 0) await post('/add-aaaa', { host, addresses });
    },
    servfail: (host) => post('/set-servfail', { host }),
  };
}
