import { connect } from 'node:tls';

export type ServedResult =
  | { readonly state: 'match' | 'different'; readonly fingerprint256: string }
  | { readonly state: 'unreachable'; readonly detail: string };

export interface ServedOptions {
  readonly host: string;
  readonly port: number;
  /** Per connection. */
  readonly timeoutMs: number;
}

/** The certificate a TLS server presents for `servername`: its SHA-256 fingerprint, or why there is none. */
export function servedFingerprint(servername: string, options: ServedOptions): Promise<{ fingerprint256: string } | { detail: string }> {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) return Promise.resolve({ detail: `port ${options.port} is not a TCP port (modSSL TCPPort)` });
  return new Promise((resolve) => {
    const socket = connect({ host: options.host, port: options.port, servername, rejectUnauthorized: false });
    const done = (result: { fingerprint256: string } | { detail: string }) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(options.timeoutMs, () => done({ detail: `no TLS answer from ${options.host}:${options.port} within ${options.timeoutMs} ms` }));
    socket.on('error', (error: NodeJS.ErrnoException) => done({ detail: `${options.host}:${options.port}: ${error.code ?? error.message}` }));
    socket.on('secureConnect', () => {
      const fingerprint256 = socket.getPeerCertificate().fingerprint256;
      done(fingerprint256 ? { fingerprint256 } : { detail: `${options.host}:${options.port} presented no certificate` });
    });
  });
}

/** Each name's served certificate against the deployed one's fingerprint, all names at once (bounded by one timeout). */
export async function checkServed(names: readonly string[], deployed: string, options: ServedOptions): Promise<Map<string, ServedResult>> {
  const results = await Promise.all(
    names.map(async (name): Promise<[string, ServedResult]> => {
      const served = await servedFingerprint(name, options);
      if ('detail' in served) return [name, { state: 'unreachable', detail: served.detail }];
      return [name, { state: served.fingerprint256 === deployed ? 'match' : 'different', fingerprint256: served.fingerprint256 }];
    }),
  );
  return new Map(results);
}
