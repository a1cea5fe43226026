import { join } from 'node:path';
import {
  CERTIFICATES_DB,
  CHALLENGE_DIR,
  DEFAULT_PREFLIGHT_TIMEOUT_MS,
  localAddresses,
  parseAddressList,
  parseResolverServers,
  preflight,
  recordChecks,
} from '@smeconf/certificates';
import type { PreflightOptions, PreflightOutcome } from '@smeconf/certificates';
import { ConfigDb } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import type { CertificateView } from './view.ts';

export interface PreflightRunOptions {
  /** The names to check (default: the view's enabled names). */
  readonly names?: readonly string[];
  /** Bounds the whole run (default DEFAULT_PREFLIGHT_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * THE preflight of a root, for every caller (smeconf cert check, the
 * renewal's SkipFailingNames, the status page's "check again"): preflight
 * `names` (default: view.names) with the root's settings, record the
 * outcomes in the certificates db (Check, CheckDetail, CheckedAt per name)
 * and return them.
 */
export async function runPreflight(backend: Backend, view: CertificateView, options: PreflightRunOptions = {}): Promise<PreflightOutcome[]> {
  const names = options.names ?? view.names;
  if (names.length === 0) return [];
  const outcomes = await preflight(preflightOptions(view, names, options.timeoutMs ?? DEFAULT_PREFLIGHT_TIMEOUT_MS));
  await recordChecks(new ConfigDb(backend, CERTIFICATES_DB), outcomes, new Date());
  return outcomes;
}

/**
 * The preflight's settings from the root's records: letsencrypt
 * CheckResolver (else the system's DNS servers), letsencrypt PublicAddress
 * (else this machine's interface addresses), httpd-e-smith TCPPort (80),
 * modSSL TCPPort (443), the challenge directory under the root. A malformed
 * prop is E_DB_PROP_INVALID, naming it.
 */
export function preflightOptions(view: CertificateView, names: readonly string[], timeoutMs: number): PreflightOptions {
  const resolverText = view.letsencrypt.get('CheckResolver') ?? '';
  const resolverServers = resolverText === '' ? undefined : parseResolverServers(resolverText);
  if (resolverServers === undefined && resolverText !== '') invalid('letsencrypt CheckResolver', resolverText, 'comma-separated IP or IP:PORT ([IPv6]:PORT)');
  const publicText = view.letsencrypt.get('PublicAddress') ?? '';
  const publicAddresses = publicText === '' ? undefined : parseAddressList(publicText);
  if (publicAddresses === undefined && publicText !== '') invalid('letsencrypt PublicAddress', publicText, 'comma-separated IP addresses');
  return {
    names,
    resolverServers: resolverServers?.length ? resolverServers : undefined,
    serverAddresses: publicAddresses?.length ? publicAddresses : localAddresses(),
    httpPort: port(view.httpd, 'httpd-e-smith', 80),
    httpsPort: port(view.modSSL, 'modSSL', 443),
    challengeDir: join(view.root, CHALLENGE_DIR),
    root: view.root,
    timeoutMs,
  };
}

function port(props: ReadonlyMap<string, string>, key: string, fallback: number): number {
  const text = props.get('TCPPort') ?? '';
  if (text === '') return fallback;
  const value = Number(text);
  if (!/^\d{1,5}$/.test(text) || value < 1 || value > 65535) invalid(`${key} TCPPort`, text, 'a port number');
  return value;
}

function invalid(what: string, value: string, expected: string): never {
  throw new ToolError('E_DB_PROP_INVALID', `${what} ${JSON.stringify(value)}: expected ${expected}`);
}
