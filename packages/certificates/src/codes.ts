/**
 * The catalogue of certificate findings (docs/certificates.md): stable
 * codes, never renamed or removed, only added. The scheme: E_<AREA>_<WHAT>,
 * AREA one of DNS (the name's record), ACME_HTTP01 (the challenge over
 * plain HTTP), CA (talking to the ACME server), CERT (the certificate
 * deployed and served). Two families embed a number, built by numberedCode:
 * E_ACME_HTTP01_STATUS<N> (the HTTP status the challenge URL answered) and
 * E_CA_CURL<N> (curl's exit status, e.g. 6: could not resolve the CA).
 */
export type Severity = 'error' | 'warning';

export interface CodeEntry {
  readonly code: string;
  readonly severity: Severity;
  /** One line: what is wrong. */
  readonly cause: string;
  /** One line: what to do, naming the command. */
  readonly fix: string;
}

/** The families whose code ends with a number; `{N}` in their texts is that number. */
export const NUMBERED_FAMILIES = ['E_ACME_HTTP01_STATUS', 'E_CA_CURL'] as const;
export type NumberedFamily = (typeof NUMBERED_FAMILIES)[number];

const entries: readonly CodeEntry[] = [
  { code: 'E_DNS_NXDOMAIN', severity: 'error', cause: 'the name has no DNS record (NXDOMAIN): the CA cannot reach it', fix: 'add an A/AAAA record for the name at its DNS provider, or take it off: db domains setprop NAME letsencryptSSLcert disabled' },
  { code: 'E_DNS_SERVFAIL', severity: 'error', cause: "the name's DNS servers fail to answer for it (SERVFAIL)", fix: "fix the zone at its DNS provider (DNSSEC, delegation), then smeconf cert check NAME" },
  { code: 'E_DNS_TIMEOUT', severity: 'error', cause: 'no DNS answer for the name in time', fix: 'check the resolver and the name\'s DNS servers, then smeconf cert check NAME' },
  { code: 'E_DNS_WRONG_ADDRESS', severity: 'error', cause: "the name resolves, but not to this server's address", fix: "point its A/AAAA record at this server (or set config setprop letsencrypt PublicAddress IP), then smeconf cert check NAME" },
  { code: 'E_ACME_HTTP01_UNREACHABLE', severity: 'error', cause: 'nothing answers on port 80 for the name: the CA cannot fetch the challenge', fix: 'open port 80 to this server (firewall, NAT), check httpd runs, then smeconf cert check NAME' },
  { code: 'E_ACME_HTTP01_STATUS{N}', severity: 'error', cause: 'the challenge URL /.well-known/acme-challenge/ answers HTTP status {N}, not the token', fix: 'restore the ACME alias in httpd.conf (a templates-custom fragment may drop it): expand-template /etc/httpd/conf/httpd.conf, then smeconf cert check NAME' },
  { code: 'E_ACME_HTTP01_REDIRECTED', severity: 'error', cause: 'the challenge URL redirects to another host', fix: 'exempt /.well-known/acme-challenge/ from the redirect (domain record HttpsRedirect, a proxy), then smeconf cert check NAME' },
  { code: 'E_ACME_HTTP01_WRONG_CONTENT', severity: 'error', cause: 'the challenge URL answers 200, but with other content than the challenge file: another site, a proxy or a catch-all page answers for the path', fix: 'serve /.well-known/acme-challenge/ from the ACME alias for the name (ProxyPass /.well-known/acme-challenge/ !, no other site for it), then smeconf cert check NAME' },
  { code: 'E_ACME_HTTP01_CHALLENGE_DIR', severity: 'error', cause: "the challenge directory (dehydrated's WELLKNOWN) cannot be written, or leads out of the root: no challenge file can be placed", fix: 'make home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge a writable directory (0755) of the root, then smeconf cert check' },
  { code: 'E_CA_CURL{N}', severity: 'error', cause: 'the CA cannot be reached: curl exit status {N} (6: its name does not resolve, 7: connection refused, 28: timeout, 60: its certificate is not trusted)', fix: 'check the network, DNS and letsencrypt ACMEDirectory/CABundle, then smeconf letsencrypt renew' },
  { code: 'E_CA_RATE_LIMITED', severity: 'error', cause: 'the CA refuses for now: a rate limit was reached', fix: 'wait for the limit to pass (see the detail), test with config setprop letsencrypt status test, then smeconf letsencrypt renew' },
  { code: 'E_CA_TERMS_NOT_ACCEPTED', severity: 'error', cause: "the CA's terms of service are not accepted", fix: 'read them at the CA, then config setprop letsencrypt ACCEPT_TERMS yes and smeconf letsencrypt register' },
  { code: 'E_CA_ACCOUNT_REFUSED', severity: 'error', cause: 'the CA refused the account or its e-mail address', fix: 'config setprop letsencrypt email ADDRESS (a real, deliverable address), then smeconf letsencrypt register' },
  { code: 'E_CA_UNAUTHORIZED', severity: 'error', cause: 'the CA did not accept the proof of control for the name (ACME unauthorized; see the detail)', fix: 'smeconf cert check NAME, fix what it reports, then smeconf letsencrypt renew' },
  { code: 'E_CERT_MISSING', severity: 'error', cause: 'no certificate is deployed: neither modSSL crt/key nor the self-signed one is readable', fix: 'smeconf letsencrypt self-signed (and smeconf letsencrypt renew for a real one)' },
  { code: 'E_CERT_SELF_SIGNED', severity: 'warning', cause: "Let's Encrypt is on, but HTTPS still uses the self-signed certificate", fix: 'smeconf letsencrypt renew' },
  { code: 'E_CERT_EXPIRING', severity: 'warning', cause: 'the certificate expires soon (fewer days left than the warning threshold)', fix: 'smeconf letsencrypt renew (the daily cron job should have: see its last run)' },
  { code: 'E_CERT_RENEWAL_FAILING', severity: 'error', cause: 'the certificate expires within the warning threshold and the last renewal run failed: it will expire unless that is fixed', fix: 'see the last run\'s code (smeconf cert status), fix it, then smeconf letsencrypt renew' },
  { code: 'E_CERT_EXPIRED', severity: 'error', cause: 'the certificate has expired (or is not valid yet): browsers refuse it', fix: 'smeconf letsencrypt renew --force' },
  { code: 'E_CERT_NAME_MISSING', severity: 'error', cause: 'an enabled name is not in the certificate: browsers refuse it for that name', fix: 'smeconf letsencrypt renew --force (the names changed since it was issued)' },
  { code: 'E_CERT_KEY_MISMATCH', severity: 'error', cause: "the key file is not the certificate's key: Apache will not start with them", fix: 'smeconf letsencrypt renew --force, or point config setprop modSSL key at the matching key' },
  { code: 'E_CERT_CHAIN_INVALID', severity: 'error', cause: 'the certificate does not verify through its chain file against the trust store or letsencrypt CABundle', fix: 'deploy the full chain (modSSL CertificateChainFile): smeconf letsencrypt renew --force' },
  { code: 'E_CERT_SERVED_DIFFERENT', severity: 'error', cause: 'Apache serves another certificate for the name than the deployed one', fix: 'reload Apache with the current configuration: signal-event console-save' },
  { code: 'E_CERT_SERVED_UNREACHABLE', severity: 'warning', cause: "the local HTTPS port does not answer: the served certificate could not be compared", fix: 'start Apache (signal-event console-save) and check modSSL TCPPort' },
  { code: 'E_CA_REQUEST_FAILED', severity: 'error', cause: 'the CA answered with an error the catalogue has no code for (the detail has its HTTP status and ACME problem type)', fix: 'read the detail (the CA\'s problem), fix what it names, then smeconf letsencrypt renew' },
  { code: 'E_CA_CLIENT_FAILED', severity: 'error', cause: "dehydrated stopped on an error of its own, not the CA's (the detail is its message: a lock file left by a killed run, a missing directory, a failing hook step)", fix: 'read the detail and the output of smeconf letsencrypt renew, fix what it names, then run it again' },
];

const byCode = new Map(entries.map((entry) => [entry.code, entry]));

/** Every entry, the numbered families with `{N}` in their code. */
export const CATALOGUE: readonly CodeEntry[] = entries;

/** A numbered family's code: numberedCode('E_ACME_HTTP01_STATUS', 404) is E_ACME_HTTP01_STATUS404. */
export function numberedCode(family: NumberedFamily, number: number): string {
  if (!Number.isInteger(number) || number < 0) throw new RangeError(`${family}: ${number} is not a status number`);
  return `${family}${number}`;
}

/** The entry of a code, a numbered one with its number in the texts; undefined for a code not in the catalogue. */
export function describeCode(code: string): CodeEntry | undefined {
  const exact = byCode.get(code);
  if (exact !== undefined) return exact;
  for (const family of NUMBERED_FAMILIES) {
    const number = code.startsWith(family) ? code.slice(family.length) : '';
    if (!/^\d+$/.test(number)) continue;
    const entry = byCode.get(`${family}{N}`)!;
    return { code, severity: entry.severity, cause: entry.cause.replaceAll('{N}', number), fix: entry.fix.replaceAll('{N}', number) };
  }
  return undefined;
}

/** What a check found: a catalogue code, for a name or for the whole certificate, with the particulars. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  /** The enabled name it is about; undefined when about the certificate itself. */
  readonly name?: string;
  readonly detail: string;
}

export function finding(code: string, detail: string, name?: string): Finding {
  const entry = describeCode(code);
  if (entry === undefined) throw new RangeError(`${code} is not in the certificate catalogue`);
  return name === undefined ? { code, severity: entry.severity, detail } : { code, severity: entry.severity, name, detail };
}
