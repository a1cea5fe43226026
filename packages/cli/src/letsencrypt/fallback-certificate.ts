import { isDomainName } from '@smeconf/db';
import type { ConfigDb } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import { certificateNames } from './certificate-names.ts';
import { keySizeOf, makeSelfSigned, selfSignedFiles, whyRenew } from './self-signed.ts';
import type { CertificateFiles } from './self-signed.ts';

export interface FallbackOptions {
  readonly root: string;
  /** openssl's environment (its PATH). */
  readonly env: NodeJS.ProcessEnv;
  readonly now: Date;
  /** Make a new one even if the current one fits. */
  readonly force?: boolean;
}

export interface FallbackResult {
  readonly files: CertificateFiles;
  readonly names: readonly string[];
  readonly keySize: number;
  /** Why a new certificate was made; undefined when the current one was kept. */
  readonly made: string | undefined;
}

/**
 * SME always serves HTTPS: until Let's Encrypt deploys a certificate (and
 * again once modSSL's crt/key are removed), httpd.conf uses the server's
 * own self-signed one. This makes sure it exists and fits the names served
 * and modSSL `keysize`, and records it in modSSL `SelfSignedCrt` and
 * `SelfSignedKey`, apart from crt/key (the deployed certificate, which
 * wins), so the two never overwrite each other. Nothing when modSSL is not
 * enabled (no HTTPS).
 */
export async function ensureFallbackCertificate(open: (db: string) => ConfigDb, options: FallbackOptions): Promise<FallbackResult | undefined> {
  const configuration = open('configuration');
  const modSSL = await configuration.get('modSSL');
  if (modSSL?.props.get('status') !== 'enabled') return undefined;
  const domainName = await nameOf(configuration, 'DomainName');
  const systemName = await nameOf(configuration, 'SystemName');
  const keySize = keySizeOf(modSSL.props.get('keysize'));
  const names = certificateNames({ domainName, systemName, domains: await open('domains').list(), hosts: await open('hosts').list() });
  const files = selfSignedFiles(options.root, systemName, domainName);
  const spec = { names, keySize };
  const why = options.force === true ? 'asked to' : whyRenew(files, spec, options.now);
  if (why !== undefined) makeSelfSigned(files, spec, options.env);
  if (modSSL.props.get('SelfSignedCrt') !== files.crt || modSSL.props.get('SelfSignedKey') !== files.key) {
    await configuration.setProps('modSSL', new Map([['SelfSignedCrt', files.crt], ['SelfSignedKey', files.key]]));
  }
  return { files, names, keySize, made: why };
}

async function nameOf(configuration: ConfigDb, key: string): Promise<string> {
  const value = (await configuration.get(key))?.type ?? '';
  if (!isDomainName(value)) {
    throw new ToolError('E_SSL_SELF_SIGNED', `${key} is ${JSON.stringify(value)}, not a DNS name: no self-signed certificate can name it (config set ${key} NAME)`);
  }
  return value;
}
