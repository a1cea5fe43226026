import { CERTIFICATES_DB, expiryDaysOf, readCertificateRecords } from '@smeconf/certificates';
import type { CertificateView } from '@smeconf/certificates';
import { ConfigDb } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import type { CommandContext } from '../smeconf/command.ts';
import { layoutOf, withBackend } from '../smeconf/command-layout.ts';
import { enabledNames } from './enabled-names.ts';

export type { CertificateView };

export async function readCertificateView(backend: Backend, root: string): Promise<CertificateView> {
  const list = (name: string) => new ConfigDb(backend, name).list();
  const [configuration, domains, hosts] = await Promise.all([list('configuration'), list('domains'), list('hosts')]);
  const props = (key: string) => configuration.find((record) => record.key === key)?.props ?? new Map<string, string>();
  const letsencrypt = props('letsencrypt');
  const expiryDays = expiryDaysOf(letsencrypt);
  if (expiryDays === undefined) {
    throw new ToolError('E_DB_PROP_INVALID', `letsencrypt ExpiryWarningDays ${JSON.stringify(letsencrypt.get('ExpiryWarningDays'))}: expected a whole number of days`);
  }
  return {
    root,
    names: enabledNames({ configuration, domains, hosts }),
    modSSL: props('modSSL'),
    letsencrypt,
    httpd: props('httpd-e-smith'),
    records: await readCertificateRecords(new ConfigDb(backend, CERTIFICATES_DB)),
    expiryDays,
  };
}

/** The view of the command's root (--root, else SMECONF_ROOT), its backend closed afterwards. */
export function loadCertificateView(args: Record<string, unknown>, context: CommandContext): Promise<CertificateView> {
  const layout = layoutOf(args, context);
  return withBackend(layout, (line) => context.io.err(`smeconf: ${line}\n`), (backend) => readCertificateView(backend, layout.root));
}
