/** What the preflight needs of a resolver: node:dns/promises Resolver has it. */
export interface NameResolver {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

export type DnsResult = { readonly addresses: readonly string[] } | { readonly code: string; readonly detail: string };

/** c-ares error codes where a DNS server answered with an error (the zone or its servers are broken). */
const ANSWERED_WITH_ERROR = new Set(['ESERVFAIL', 'EREFUSED', 'EFORMERR', 'ENOTIMP', 'EBADRESP']);
/** The name exists nowhere, or has no record of that type. */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

/** A's and AAAA's answers, both asked at once. */
export async function resolveName(resolver: NameResolver, name: string): Promise<DnsResult> {
  const [a, aaaa] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  return dnsOutcome(a, aaaa);
}

/**
 * The name's addresses (A first) if either query found some; else the
 * code: E_DNS_SERVFAIL if a server answered with an error, E_DNS_TIMEOUT if
 * one did not answer (timed out, refused, cancelled at the run's deadline),
 * E_DNS_NXDOMAIN if both say there is no such record.
 */
export function dnsOutcome(a: PromiseSettledResult<readonly string[]>, aaaa: PromiseSettledResult<readonly string[]>): DnsResult {
  const addresses = [...new Set([a, aaaa].flatMap((result) => (result.status === 'fulfilled' ? result.value : [])))];
  if (addresses.length > 0) return { addresses };
  const errors = (['A', 'AAAA'] as const).map((type, index) => {
    const result = [a, aaaa][index]!;
    return { type, code: result.status === 'fulfilled' ? 'ENODATA' : errorCode(result.reason) };
  });
  const detail = errors.map((error) => `${error.type}: ${error.code}`).join(', ');
  if (errors.some((error) => ANSWERED_WITH_ERROR.has(error.code))) return { code: 'E_DNS_SERVFAIL', detail: `the DNS answered with an error (${detail})` };
  if (errors.some((error) => !NO_RECORD.has(error.code))) return { code: 'E_DNS_TIMEOUT', detail: `no DNS answer (${detail})` };
  return { code: 'E_DNS_NXDOMAIN', detail: `no A or AAAA record (${detail})` };
}

function errorCode(reason: unknown): string {
  const code = (reason as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}
