import { plain } from './unsafe-value.ts';
import type { UnsafeValue } from './unsafe-value.ts';

/** A database value as fragments get it: a string, or an UnsafeValue that throws when turned into text. */
export type GuardedValue = string | UnsafeValue;

/** The lookups the stock values need (a fragment context provides them). */
export interface ValueReader {
  readonly db: (db: string, key: GuardedValue, prop?: string) => GuardedValue | undefined;
  readonly prop: (key: GuardedValue, prop: string, fallback?: string) => GuardedValue | undefined;
  readonly keys: (db: string) => GuardedValue[];
}

/** What the fragments of httpd.conf share (05vars.mjs adds it to their data). */
export interface HttpdValues {
  readonly httpListen: GuardedValue;
  readonly sslListen: GuardedValue;
  readonly vhostAddress: GuardedValue;
  readonly httpPort: GuardedValue | undefined;
  readonly sslPort: GuardedValue | undefined;
  readonly sslReady: boolean;
  readonly sslCrt: GuardedValue | undefined;
  readonly sslKey: GuardedValue | undefined;
  readonly sslChain: GuardedValue | undefined;
}

/**
 * Apache's addresses, ports and certificate. Values stay guarded: an
 * address or port failing its format throws when a listen address is made
 * of it, or when a fragment prints it. The certificate: the deployed one
 * (modSSL crt/key, set by the dehydrated hook) when both are set, else the
 * server's self-signed one (modSSL SelfSignedCrt/SelfSignedKey, made by
 * console-save): SME always serves HTTPS. The chain belongs to the deployed
 * certificate only.
 */
export function httpdValues({ prop }: ValueReader): HttpdValues {
  const address = prop('httpd-e-smith', 'ListenAddress', '');
  const httpPort = prop('httpd-e-smith', 'TCPPort', '80');
  const sslPort = prop('modSSL', 'TCPPort', '443');
  const deployed = Boolean(prop('modSSL', 'crt')) && Boolean(prop('modSSL', 'key'));
  const selfSigned = Boolean(prop('modSSL', 'SelfSignedCrt')) && Boolean(prop('modSSL', 'SelfSignedKey'));
  const sslReady = prop('modSSL', 'status', 'disabled') === 'enabled' && (deployed || selfSigned);
  // String() of an UnsafeValue throws: an address that fails its format never reaches Listen
  const listen = (port: GuardedValue | undefined) => (address ? `${String(address)}:${String(port)}` : port);
  return {
    httpListen: listen(httpPort) ?? '',
    sslListen: listen(sslPort) ?? '',
    vhostAddress: address || '*',
    httpPort,
    sslPort,
    sslReady,
    sslCrt: sslReady ? prop('modSSL', deployed ? 'crt' : 'SelfSignedCrt') : '',
    sslKey: sslReady ? prop('modSSL', deployed ? 'key' : 'SelfSignedKey') : '',
    sslChain: sslReady && deployed ? prop('modSSL', 'CertificateChainFile', '') : '',
  };
}

/**
 * The names of the Let's Encrypt certificate, in SME's order: the primary
 * domain first, then each domain followed by the hosts of that domain, as
 * `letsencrypt configure` says (all, domains, hosts, or only the records
 * with letsencryptSSLcert enabled), each name once (SME repeated them).
 * Undefined when letsencrypt is disabled. Names stay guarded: one that is
 * not a DNS name fails the fragment when printed.
 */
export function certificateNames({ prop, db, keys }: ValueReader): GuardedValue[] | undefined {
  if (prop('letsencrypt', 'status', 'disabled') === 'disabled') return undefined;
  const configure = prop('letsencrypt', 'configure', 'none');
  const allDomains = configure === 'all' || configure === 'domains';
  const allHosts = configure === 'all' || configure === 'hosts';
  const enabled = (database: string, key: GuardedValue) => db(database, key, 'letsencryptSSLcert') === 'enabled';
  const names: GuardedValue[] = [];
  const seen = new Set<unknown>();
  const add = (name: GuardedValue | undefined) => {
    if (name && !seen.has(plain(name))) {
      seen.add(plain(name));
      names.push(name);
    }
  };
  const primary = db('configuration', 'DomainName');
  if (primary && (allDomains || enabled('domains', primary))) add(primary);
  let hosts: GuardedValue[] | undefined; // read once, and only when there is a domain (as before)
  for (const domain of keys('domains')) {
    if (allDomains || enabled('domains', domain)) add(domain);
    for (const host of (hosts ??= keys('hosts'))) {
      const text = plain(host) as string;
      const ofDomain = text.slice(text.indexOf('.') + 1) === plain(domain);
      if (allHosts) add(host);
      else if (ofDomain && enabled('hosts', host) && db('hosts', host, 'HostType') === 'Self') add(host);
    }
  }
  return names;
}
