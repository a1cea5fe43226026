// The preflight (smeconf cert check, the renewal's SkipFailingNames, the
// status page's "check again"): DNS, this server's address, HTTP-01.
export { preflight, DEFAULT_PREFLIGHT_TIMEOUT_MS, type PreflightOptions, type PreflightOutcome } from './run.ts';
export { localAddresses, canonicalAddress, parseAddressList, parseResolverServers, matchingAddresses } from './addresses.ts';
export { resolveName, dnsOutcome, type NameResolver, type DnsResult } from './resolve.ts';
export { CHALLENGE_DIR, placeProbe, type Probe } from './challenge-file.ts';
export { fetchChallenge, MAX_REDIRECTS, type ChallengeTarget, type ChallengeResult } from './fetch-challenge.ts';
