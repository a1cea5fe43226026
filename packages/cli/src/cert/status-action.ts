import { collectStatus, formatStatus } from '@smeconf/certificates';
import { UsageError } from '@smeconf/errors';
import { ExitCodes } from '../exit-codes.ts';
import type { CertAction } from './action.ts';
import { loadCertificateView } from './view.ts';

/**
 * `smeconf cert status [--json] [--expiry-days N]`: per enabled name, in the
 * certificate? served for that SNI?, the last preflight and attempt; then
 * the certificate. Exit 0 all good, CERT_WARNINGS, CERT_ERRORS.
 */
export const STATUS_ACTION: CertAction = {
  describe: 'each enabled name and the certificate, checked now',
  run: async (args, context) => {
    const view = await loadCertificateView(args, context);
    const expiryDays = args['expiry-days'] === undefined ? view.expiryDays : (args['expiry-days'] as number);
    if (!Number.isInteger(expiryDays) || expiryDays < 0) throw new UsageError(`--expiry-days ${String(args['expiry-days'])}: expected a whole number of days`);
    const status = await collectStatus({ ...view, expiryDays, now: new Date() });
    context.io.out(args['json'] === true ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return status.status === 'ok' ? ExitCodes.OK : status.status === 'warning' ? ExitCodes.CERT_WARNINGS : ExitCodes.CERT_ERRORS;
  },
};
