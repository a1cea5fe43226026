import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '@smeconf/errors';

/** Where SME keeps its own certificate: home/e-smith/ssl.{crt,key}/SystemName.DomainName.{crt,key}. */
export interface CertificateFiles {
  readonly crt: string;
  readonly key: string;
}

export interface SelfSignedSpec {
  /** The subject's CN and the first name; every name is a subjectAltName. */
  readonly names: readonly string[];
  /** RSA bits. */
  readonly keySize: number;
}

/** Days a new certificate is valid: 825, the longest Apple's clients accept for a TLS server. */
export const VALID_DAYS = 825;
/** A certificate this close to its end is made anew by the next event. */
const RENEW_BEFORE_MS = 30 * 86_400_000;
const MIN_BITS = 2048;
const MAX_BITS = 8192;

export function selfSignedFiles(root: string, systemName: string, domainName: string): CertificateFiles {
  const base = `${systemName}.${domainName}`;
  return { crt: join(root, 'home/e-smith/ssl.crt', `${base}.crt`), key: join(root, 'home/e-smith/ssl.key', `${base}.key`) };
}

/** modSSL `keysize`: a number of bits from 2048 to 8192; unset means 2048. */
export function keySizeOf(value: string | undefined): number {
  if (value === undefined || value === '') return MIN_BITS;
  const bits = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(bits >= MIN_BITS && bits <= MAX_BITS)) {
    throw new ToolError('E_SSL_SELF_SIGNED', `modSSL keysize is ${JSON.stringify(value)}: expected a number of bits from ${MIN_BITS} to ${MAX_BITS}`);
  }
  return bits;
}

/**
 * Why the certificate in `files` must be made anew for `spec` at `now`, or
 * undefined while it fits: both files readable, the key its own and of the
 * wanted size, the same names, and more than 30 days left.
 */
export function whyRenew(files: CertificateFiles, spec: SelfSignedSpec, now: Date): string | undefined {
  let certificate: X509Certificate;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    certificate = new X509Certificate(readFileSync(files.crt));
    key = createPrivateKey(readFileSync(files.key));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there was none' : 'the old one was unreadable';
  }
  if (!certificate.checkPrivateKey(key)) return 'its key did not match';
  if (key.asymmetricKeyDetails?.modulusLength !== spec.keySize) return `the key size is now ${spec.keySize}`;
  const names = (certificate.subjectAltName ?? '').split(', ').map((entry) => entry.replace(/^DNS:/, '').toLowerCase());
  if (names.join(' ') !== spec.names.map((name) => name.toLowerCase()).join(' ')) return 'the names changed';
  if (new Date(certificate.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return `it expires on ${certificate.validTo}`;
  return undefined;
}

/**
 * Makes the certificate with openssl (found on `env`'s PATH): a new RSA key
 * and a self-signed server certificate (CA:FALSE, serverAuth, the names as
 * subjectAltNames, VALID_DAYS days), made in a private temporary directory
 * and renamed into place: the key 0600 in a 0700 directory, the certificate
 * 0644. Failures are E_SSL_SELF_SIGNED; nothing is left half-written.
 */
export function makeSelfSigned(files: CertificateFiles, spec: SelfSignedSpec, env: NodeJS.ProcessEnv): void {
  const keyDir = join(files.key, '..');
  let work: string | undefined;
  try {
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    mkdirSync(join(files.crt, '..'), { recursive: true, mode: 0o755 });
    work = mkdtempSync(join(keyDir, '.new-'));
    const config = join(work, 'openssl.cnf');
    writeFileSync(config, opensslConfig(spec.names));
    const [key, crt] = [join(work, 'key.pem'), join(work, 'crt.pem')];
    const args = ['req', '-x509', '-config', config, '-newkey', `rsa:${spec.keySize}`, '-nodes', '-sha256', '-days', String(VALID_DAYS), '-keyout', key, '-out', crt];
    const result = spawnSync('openssl', args, { env, encoding: 'utf8', timeout: 300_000 });
    if (result.error !== undefined) {
      const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ToolError('E_SSL_SELF_SIGNED', missing ? 'openssl is not installed: no self-signed certificate for HTTPS (apt-get install openssl, or config setprop modSSL status disabled)' : `openssl: ${result.error.message}`);
    }
    if (result.status !== 0) {
      const why = result.stderr.trim().split('\n').at(-1) ?? '';
      throw new ToolError('E_SSL_SELF_SIGNED', `openssl could not make the self-signed certificate (exit status ${result.status}): ${why}`);
    }
    chmodSync(key, 0o600);
    chmodSync(crt, 0o644);
    renameSync(key, files.key);
    renameSync(crt, files.crt);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError('E_SSL_SELF_SIGNED', `cannot write the self-signed certificate ${files.crt}: ${(error as Error).message}`, { cause: error });
  } finally {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  }
}

/** openssl's request config: no prompt, the first name as CN (when it fits its 64 characters), every name a DNS subjectAltName. */
function opensslConfig(names: readonly string[]): string {
  const cn = names[0] !== undefined && names[0].length <= 64 ? names[0] : 'self-signed';
  return [
    '[req]',
    'distinguished_name = dn',
    'x509_extensions = ext',
    'prompt = no',
    '[dn]',
    `CN = ${cn}`,
    '[ext]',
    `subjectAltName = ${names.map((name) => `DNS:${name}`).join(',')}`,
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    '',
  ].join('\n');
}
