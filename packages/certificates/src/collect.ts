import { finding } from './codes.ts';
import { certificateSources, inspectCertificate, readCertificateInputs } from './inspect.ts';
import type { Inspection } from './inspect.ts';
import type { CertificateRecords } from './records.ts';
import { checkServed } from './served.ts';
import { certificateStatus } from './status.ts';
import type { CertificateStatus } from './status.ts';

/** Debian's system trust store: the chain's anchors besides letsencrypt CABundle. */
export const SYSTEM_TRUST_STORE = '/etc/ssl/certs/ca-certificates.crt';

/** Warn this many days before expiry unless letsencrypt ExpiryWarningDays says otherwise. */
export const DEFAULT_EXPIRY_DAYS = 14;

/** What every certificate surface reads from the databases, once (the CLI's readCertificateView). */
export interface CertificateView {
  readonly root: string;
  /** The enabled names (what domains.txt would hold, before any skip), in its order. */
  readonly names: readonly string[];
  readonly modSSL: ReadonlyMap<string, string>;
  readonly letsencrypt: ReadonlyMap<string, string>;
  /** httpd-e-smith's props: ListenAddress says where the HTTPS port answers. */
  readonly httpd: ReadonlyMap<string, string>;
  /** The `certificates` database: last preflight, skips, last attempt, last run. */
  readonly records: CertificateRecords;
  /** Fewer days left than this: E_CERT_EXPIRING (letsencrypt ExpiryWarningDays, else 14). */
  readonly expiryDays: number;
}

export interface StatusInput extends CertificateView {
  readonly now: Date;
  readonly trustStore?: string;
  /** Per TLS connection of the served check. */
  readonly servedTimeoutMs?: number;
  /** false: no served check (the renewal's expiry warning needs only the files). */
  readonly checkServed?: boolean;
}

/** letsencrypt ExpiryWarningDays (a whole number), else the default; undefined when the prop is not a number. */
export function expiryDaysOf(letsencrypt: ReadonlyMap<string, string>): number | undefined {
  const text = letsencrypt.get('ExpiryWarningDays');
  if (text === undefined || text === '') return DEFAULT_EXPIRY_DAYS;
  return /^\d{1,4}$/.test(text) ? Number(text) : undefined;
}

/**
 * Everything `smeconf cert status` and the status page show, checked now:
 * the certificate Apache uses (httpd.conf's rule), each name in it and
 * served for its SNI by the local HTTPS port, and what the `certificates`
 * database recorded (the preflight, skips, the last attempt).
 */
export async function collectStatus(input: StatusInput): Promise<CertificateStatus> {
  const sources = certificateSources(input.modSSL);
  const inspection: Inspection = sources === undefined
    ? { details: undefined, inCertificate: new Map(), findings: [finding('E_CERT_MISSING', 'modSSL has neither crt/key nor SelfSignedCrt/SelfSignedKey')] }
    : inspectCertificate(readCertificateInputs(input.root, sources, { caBundle: input.letsencrypt.get('CABundle') || undefined, trustStore: input.trustStore ?? SYSTEM_TRUST_STORE }), {
        names: input.names,
        now: input.now,
        expiryDays: input.expiryDays,
        letsencryptOn: (input.letsencrypt.get('status') ?? 'disabled') !== 'disabled',
      });
  const fingerprint = inspection.details?.fingerprint256;
  const served = input.checkServed !== false && input.modSSL.get('status') === 'enabled' && fingerprint !== undefined
    ? await checkServed(input.names, fingerprint, { host: httpsHost(input.httpd), port: Number(input.modSSL.get('TCPPort') || 443), timeoutMs: input.servedTimeoutMs ?? 3000 })
    : undefined;
  return certificateStatus(input.names, inspection, served, input.records);
}

/** Where Apache answers HTTPS: httpd-e-smith ListenAddress (brackets off an IPv6 one), else loopback. */
function httpsHost(httpd: ReadonlyMap<string, string>): string {
  const address = httpd.get('ListenAddress') ?? '';
  return address === '' ? '127.0.0.1' : address.replace(/^\[(.*)\]$/, '$1');
}
