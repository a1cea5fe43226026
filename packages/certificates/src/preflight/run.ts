import { Resolver } from 'node:dns/promises';
import { isDomainName } from '@smeconf/db';
import type { NameOutcome } from '../records.ts';
import { OK } from '../records.ts';
import { matchingAddresses } from './addresses.ts';
import { placeProbe } from './challenge-file.ts';
import type { Probe } from './challenge-file.ts';
import { fetchChallenge } from './fetch-challenge.ts';
import { resolveName } from './resolve.ts';

export interface PreflightOptions {
  readonly names: readonly string[];
  /** `IP`, `IP:PORT` or `[IPv6]:PORT` (letsencrypt CheckResolver); undefined: the system's DNS servers (/etc/resolv.conf). */
  readonly resolverServers: readonly string[] | undefined;
  /** This server's addresses: letsencrypt PublicAddress, else localAddresses(). */
  readonly serverAddresses: readonly string[];
  /** Apache's HTTP port (httpd-e-smith TCPPort, 80). */
  readonly httpPort: number;
  /** Apache's HTTPS port (modSSL TCPPort, 443): where a redirect to https is followed. */
  readonly httpsPort?: number;
  /** Absolute: dehydrated's WELLKNOWN (root + CHALLENGE_DIR); created 0755 if missing. */
  readonly challengeDir: string;
  /** The root challengeDir must stay inside (its existing part's real path): the caller's confinement. */
  readonly root?: string;
  /** Bounds the whole run: DNS gets the first half, the HTTP fetches the rest. */
  readonly timeoutMs: number;
  /** Names checked at once (default 32). */
  readonly concurrency?: number;
}

/** One name's preflight: code OK or a catalogue code, the detail, and the addresses the name resolved to. */
export interface PreflightOutcome extends NameOutcome {
  readonly addresses: readonly string[];
}

export const DEFAULT_PREFLIGHT_TIMEOUT_MS = 10_000;
const DEFAULT_CONCURRENCY = 32;

/**
 * The preflight of each name, before asking the CA: does it resolve (A,
 * AAAA), to one of this server's addresses, and does that address serve a
 * probe file from the challenge directory for that name over HTTP, as the
 * CA's HTTP-01 validation will? All names at once (at most `concurrency`),
 * the whole run within `timeoutMs`: a dead DNS server costs one share of
 * the timeout, not one per name. One probe file serves every name (they
 * share dehydrated's one WELLKNOWN), written when the first name gets that
 * far and always removed at the end. Outcomes in the names' order.
 */
export async function preflight(options: PreflightOptions): Promise<PreflightOutcome[]> {
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const dnsBudget = Math.floor(options.timeoutMs / 2);
  const resolver = newResolver(options.resolverServers, dnsBudget);
  const resolverName = options.resolverServers === undefined ? 'the system resolver' : `resolver ${options.resolverServers.join(', ')}`;
  const run = new AbortController();
  let dnsOver = false;
  const dnsTimer = setTimeout(() => {
    dnsOver = true;
    resolver.cancel();
  }, dnsBudget);
  const runTimer = setTimeout(() => run.abort(), options.timeoutMs);
  let probe: { readonly probe: Probe } | { readonly why: string } | undefined;
  const probeOnce = () => (probe ??= placed(options));

  const check = async (name: string): Promise<PreflightOutcome> => {
    const outcome = (code: string, detail: string, addresses: readonly string[] = []) => ({ name, code, detail, addresses });
    if (!isDomainName(name)) return outcome('E_DNS_NXDOMAIN', `${JSON.stringify(name)} is not a DNS name`);
    if (dnsOver) return outcome('E_DNS_TIMEOUT', `not resolved within the run's DNS time (${seconds(dnsBudget)}, ${resolverName})`);
    const dns = await resolveName(resolver, name);
    if ('code' in dns) return outcome(dns.code, `${dns.detail}${dnsOver ? ` within ${seconds(dnsBudget)}` : ''} (${resolverName})`);
    const ours = matchingAddresses(dns.addresses, options.serverAddresses);
    if (ours.length === 0) return outcome('E_DNS_WRONG_ADDRESS', `resolves to ${dns.addresses.join(', ')}; this server has ${listed(options.serverAddresses)}`, dns.addresses);
    if (run.signal.aborted) return outcome('E_ACME_HTTP01_UNREACHABLE', `not fetched within the run's time (${seconds(options.timeoutMs)})`, dns.addresses);
    const placedProbe = probeOnce();
    if ('why' in placedProbe) return outcome('E_ACME_HTTP01_CHALLENGE_DIR', placedProbe.why, dns.addresses);
    const fetched = await fetchChallenge({
      name,
      address: ours[0]!,
      httpPort: options.httpPort,
      httpsPort: options.httpsPort ?? 443,
      token: placedProbe.probe.token,
      body: placedProbe.probe.body,
      signal: run.signal,
    });
    return outcome(fetched.code === 'OK' ? OK : fetched.code, fetched.detail, dns.addresses);
  };

  try {
    return await mapLimited(options.names, options.concurrency ?? DEFAULT_CONCURRENCY, check);
  } finally {
    clearTimeout(dnsTimer);
    clearTimeout(runTimer);
    resolver.cancel();
    run.abort();
    if (probe !== undefined && 'probe' in probe) removeQuietly(probe.probe);
  }
}

/**
 * A resolver of its own: `servers`, or the system's; c-ares doubles its
 * wait at each try, and tries each server in turn, so each server's first
 * try gets a quarter of its share of the DNS time (the deadline cancels
 * what is left anyway).
 */
function newResolver(servers: readonly string[] | undefined, budgetMs: number): Resolver {
  const count = Math.max(1, servers?.length ?? new Resolver().getServers().length);
  const resolver = new Resolver({ timeout: Math.max(50, Math.floor(budgetMs / (4 * count))), tries: 2 });
  if (servers !== undefined) resolver.setServers(servers);
  return resolver;
}

function placed(options: PreflightOptions): { readonly probe: Probe } | { readonly why: string } {
  try {
    return { probe: placeProbe(options.challengeDir, options.root) };
  } catch (error) {
    return { why: `the probe cannot be written into ${options.challengeDir}: ${(error as Error).message}` };
  }
}

/** The outcomes stand even if the probe cannot be removed (it was just made, by us: hardly ever). */
function removeQuietly(probe: Probe): void {
  try {
    probe.remove();
  } catch {
    // left behind: a file of a random name, harmless to the CA's own challenges
  }
}

function listed(addresses: readonly string[]): string {
  if (addresses.length === 0) return 'no address';
  return addresses.length > 8 ? `${addresses.slice(0, 8).join(', ')} and ${addresses.length - 8} more` : addresses.join(', ');
}

/** fn over items, at most `limit` at once, results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
