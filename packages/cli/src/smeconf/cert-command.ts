import { join } from 'node:path';
import { certificateSources, certificateStatus, checkServed, finding, formatStatus, inspectCertificate, readCertificateInputs } from '@smeconf/certificates';
import type { CertificateSources } from '@smeconf/certificates';
import { ConfigDb } from '@smeconf/db';
import { UsageError } from '@smeconf/errors';
import { enabledNames } from '../cert/enabled-names.ts';
import { ExitCodes } from '../exit-codes.ts';
import type { SmeconfCommand } from './command.ts';
import { layoutOf, withBackend } from './command-layout.ts';

/** The system trust store (Debian's), under the root like every SME path. */
const SYSTEM_TRUST_STORE = '/etc/ssl/certs/ca-certificates.crt';
const SERVED_TIMEOUT_MS = 3000;

/**
 * `smeconf cert status [--json] [--expiry-days N]`: per enabled name, in the
 * certificate? served by the local HTTPS port for that SNI?; then the
 * certificate. Exit 0 all good, CERT_WARNINGS, CERT_ERRORS (docs/certificates.md).
 */
export const CERT_COMMAND: SmeconfCommand = {
  command: 'cert <action>',
  describe: 'the HTTPS certificate: status (per name, and the certificate)',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['status'], describe: 'status: each enabled name and the certificate, checked now' })
      .option('json', { type: 'boolean', default: false, describe: 'print the status as JSON' })
      .option('expiry-days', { type: 'number', default: 14, describe: 'warn when fewer days are left' }),
  task: (args, context) => async () => {
    const expiryDays = args['expiry-days'] as number;
    if (!Number.isInteger(expiryDays) || expiryDays < 0) throw new UsageError(`--expiry-days ${String(args['expiry-days'])}: expected a whole number of days`);
    const layout = layoutOf(args, context);
    const records = await withBackend(layout, (line) => context.io.err(`smeconf: ${line}\n`), async (backend) => {
      const list = (name: string) => new ConfigDb(backend, name).list();
      return { configuration: await list('configuration'), domains: await list('domains'), hosts: await list('hosts') };
    });
    const props = (key: string) => records.configuration.find((record) => record.key === key)?.props ?? new Map<string, string>();
    const names = enabledNames(records);
    const modSSL = props('modSSL');
    const letsencrypt = props('letsencrypt');
    const sources = certificateSources(modSSL);
    const anchors = [letsencrypt.get('CABundle') || undefined, SYSTEM_TRUST_STORE].filter((path) => path !== undefined).map((path) => under(layout.root, path));
    const inspection = sources === undefined
      ? { details: undefined, inCertificate: new Map<string, boolean>(), findings: [finding('E_CERT_MISSING', 'modSSL has neither crt/key nor SelfSignedCrt/SelfSignedKey')] }
      : inspectCertificate(readCertificateInputs(rootedSources(layout.root, sources), anchors), { names, now: new Date(), expiryDays, letsencryptOn: (letsencrypt.get('status') ?? 'disabled') !== 'disabled' });
    const fingerprint = inspection.details?.fingerprint256;
    const served = modSSL.get('status') === 'enabled' && fingerprint !== undefined
      ? await checkServed(names, fingerprint, { host: '127.0.0.1', port: Number(modSSL.get('TCPPort') || 443), timeoutMs: SERVED_TIMEOUT_MS })
      : undefined;
    const status = certificateStatus(names, inspection, served);
    context.io.out(args['json'] === true ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return status.status === 'ok' ? ExitCodes.OK : status.status === 'warning' ? ExitCodes.CERT_WARNINGS : ExitCodes.CERT_ERRORS;
  },
};

/** modSSL's and letsencrypt's paths are SME paths: under the root. */
function under(root: string, path: string): string {
  return root === '/' ? path : join(root, path);
}

function rootedSources(root: string, sources: CertificateSources): CertificateSources {
  return { ...sources, crt: under(root, sources.crt), key: under(root, sources.key), chain: sources.chain === undefined ? undefined : under(root, sources.chain) };
}
