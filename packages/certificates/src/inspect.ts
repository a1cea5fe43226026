import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { finding } from './codes.ts';
import { pathInsideRoot } from './root-path.ts';
import type { Finding } from './codes.ts';

/** The files Apache uses, by httpd.conf's rule (templates' httpdValues). */
export interface CertificateSources {
  /** deployed: modSSL crt/key (the dehydrated hook's); self-signed: SelfSignedCrt/SelfSignedKey, used while crt/key are not both set. */
  readonly source: 'deployed' | 'self-signed';
  readonly crt: string;
  readonly key: string;
  /** CertificateChainFile: the deployed certificate's only. */
  readonly chain: string | undefined;
}

/** The modSSL props → the files, as httpd.conf picks them; undefined when neither pair is set. */
export function certificateSources(modSSL: ReadonlyMap<string, string>): CertificateSources | undefined {
  const get = (prop: string) => modSSL.get(prop) || undefined;
  const [crt, key, selfCrt, selfKey] = [get('crt'), get('key'), get('SelfSignedCrt'), get('SelfSignedKey')];
  if (crt !== undefined && key !== undefined) return { source: 'deployed', crt, key, chain: get('CertificateChainFile') };
  if (selfCrt !== undefined && selfKey !== undefined) return { source: 'self-signed', crt: selfCrt, key: selfKey, chain: undefined };
  return undefined;
}

/** The files' contents (undefined: missing or unreadable), and the PEM trust anchors. */
export interface CertificateInputs {
  readonly sources: CertificateSources;
  readonly certificate: string | undefined;
  readonly key: string | undefined;
  readonly chain: string | undefined;
  /** PEM text of the anchors (letsencrypt CABundle, the system trust store), concatenated. */
  readonly anchors: string;
}

/**
 * The edge: reads the files. The records' paths (crt, key, chain, CABundle)
 * only inside the root (pathInsideRoot); the system trust store as is. A
 * missing, unreadable or outside file is undefined (inspect reports it).
 */
export function readCertificateInputs(root: string, sources: CertificateSources, anchors: { readonly caBundle: string | undefined; readonly trustStore: string }): CertificateInputs {
  const read = (path: string | undefined) => {
    if (path === undefined) return undefined;
    const inside = pathInsideRoot(root, path);
    return 'path' in inside ? readText(inside.path) : undefined;
  };
  const anchorText = [read(anchors.caBundle), readText(anchors.trustStore)].filter((text) => text !== undefined).join('\n');
  return { sources, certificate: read(sources.crt), key: read(sources.key), chain: read(sources.chain), anchors: anchorText };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export type ChainResult = 'verified' | 'failed' | 'not-checked';

export interface CertificateDetails {
  readonly source: CertificateSources['source'];
  readonly crt: string;
  readonly key: string;
  readonly chain: string | null;
  readonly subject: string;
  readonly issuer: string;
  readonly serial: string;
  readonly sans: readonly string[];
  readonly keyType: string;
  readonly keySize: number | null;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly fingerprint256: string;
  /** null: the key file is missing or unreadable. */
  readonly keyMatches: boolean | null;
  readonly chainVerification: ChainResult;
}

export interface Inspection {
  /** undefined: no readable certificate. */
  readonly details: CertificateDetails | undefined;
  /** Per enabled name: in the certificate's SANs? */
  readonly inCertificate: ReadonlyMap<string, boolean>;
  readonly findings: readonly Finding[];
}

export interface InspectOptions {
  readonly names: readonly string[];
  readonly now: Date;
  /** Fewer days left than this: E_CERT_EXPIRING. */
  readonly expiryDays: number;
  /** Let's Encrypt is on: the self-signed certificate in use is a warning. */
  readonly letsencryptOn: boolean;
}

const DAY_MS = 86_400_000;

/** Checks the certificate against its key, chain, anchors, the clock and the enabled names. */
export function inspectCertificate(inputs: CertificateInputs, options: InspectOptions): Inspection {
  const findings: Finding[] = [];
  const certificate = parseCertificate(inputs.certificate);
  if (certificate === undefined) {
    const why = inputs.certificate === undefined ? 'missing, unreadable or outside the root' : 'not a PEM certificate';
    return { details: undefined, inCertificate: new Map(options.names.map((name) => [name, false])), findings: [finding('E_CERT_MISSING', `${inputs.sources.crt}: ${why}`)] };
  }
  const sans = subjectAltNames(certificate);
  const inCertificate = new Map(options.names.map((name) => [name, sans.some((san) => nameMatches(san, name))]));
  for (const [name, present] of inCertificate) {
    if (!present) findings.push(finding('E_CERT_NAME_MISSING', `${name} is not among the certificate's names (${sans.join(', ') || 'none'})`, name));
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - options.now.getTime()) / DAY_MS);
  if (notAfter.getTime() <= options.now.getTime() || notBefore.getTime() > options.now.getTime()) {
    findings.push(finding('E_CERT_EXPIRED', `valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}`));
  } else if (daysLeft < options.expiryDays) {
    findings.push(finding('E_CERT_EXPIRING', `${daysLeft} day${daysLeft === 1 ? '' : 's'} left (until ${notAfter.toISOString()}), fewer than ${options.expiryDays}`));
  }
  const key = parseKey(inputs.key);
  const keyMatches = key === undefined ? null : certificate.checkPrivateKey(key);
  if (keyMatches !== true) findings.push(finding('E_CERT_KEY_MISMATCH', keyMatches === null ? `${inputs.sources.key}: missing, unreadable or outside the root` : `${inputs.sources.key} is not the key of ${inputs.sources.crt}`));
  let chainVerification: ChainResult = 'not-checked';
  if (inputs.sources.source === 'deployed') {
    const why = verifyChain(certificate, parsePems(inputs.chain ?? ''), parsePems(inputs.anchors));
    chainVerification = why === undefined ? 'verified' : 'failed';
    if (why !== undefined) findings.push(finding('E_CERT_CHAIN_INVALID', why));
  } else if (options.letsencryptOn) {
    findings.push(finding('E_CERT_SELF_SIGNED', `${inputs.sources.crt} (modSSL crt/key are not set)`));
  }
  const publicKey = certificate.publicKey;
  const details: CertificateDetails = {
    source: inputs.sources.source,
    crt: inputs.sources.crt,
    key: inputs.sources.key,
    chain: inputs.sources.chain ?? null,
    subject: certificate.subject.replaceAll('\n', ', '),
    issuer: certificate.issuer.replaceAll('\n', ', '),
    serial: certificate.serialNumber,
    sans,
    keyType: publicKey.asymmetricKeyType ?? 'unknown',
    keySize: publicKey.asymmetricKeyDetails?.modulusLength ?? curveBits(publicKey.asymmetricKeyDetails?.namedCurve) ?? null,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft,
    fingerprint256: certificate.fingerprint256,
    keyMatches,
    chainVerification,
  };
  return { details, inCertificate, findings };
}

/**
 * Walks from the certificate up through the chain file's certificates to an
 * anchor, each step checked with X509Certificate.checkIssued and .verify
 * (the issuer's signature). In-process, no openssl: pure over the parsed
 * PEMs, and the same answer in tests as on a server. Undefined when it
 * verifies, else why not.
 */
export function verifyChain(leaf: X509Certificate, intermediates: readonly X509Certificate[], anchors: readonly X509Certificate[]): string | undefined {
  if (anchors.length === 0) return 'no trust anchors (letsencrypt CABundle or the system trust store) to verify against';
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (anchors.some((anchor) => anchor.fingerprint256 === current.fingerprint256)) return undefined;
    const anchor = anchors.find((candidate) => signs(candidate, current));
    if (anchor !== undefined) return undefined;
    const next = intermediates.find((candidate) => candidate !== current && signs(candidate, current));
    if (next === undefined) return `no certificate of the chain or the trust anchors issued ${oneLine(current.subject)} (issuer ${oneLine(current.issuer)})`;
    current = next;
  }
  return 'the chain loops';
}

function signs(issuer: X509Certificate, subject: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/** A SAN entry covers a name: the same (case-insensitively), or a wildcard for exactly its first label. */
export function nameMatches(san: string, name: string): boolean {
  const [pattern, wanted] = [san.toLowerCase(), name.toLowerCase()];
  if (pattern === wanted) return true;
  return pattern.startsWith('*.') && wanted.indexOf('.') > 0 && wanted.slice(wanted.indexOf('.')) === pattern.slice(1);
}

export function subjectAltNames(certificate: X509Certificate): string[] {
  return (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice('DNS:'.length));
}

function parseCertificate(pem: string | undefined): X509Certificate | undefined {
  try {
    return pem === undefined ? undefined : new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function parseKey(pem: string | undefined): KeyObject | undefined {
  try {
    return pem === undefined ? undefined : createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

/** Every certificate of a PEM bundle; blocks that do not parse are left out. */
export function parsePems(text: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  return blocks.map(parseCertificate).filter((certificate) => certificate !== undefined);
}

function curveBits(curve: string | undefined): number | undefined {
  const bits = /(\d{3})/.exec(curve ?? '')?.[1];
  return bits === undefined ? undefined : Number(bits);
}

const oneLine = (text: string) => text.replaceAll('\n', ', ');
