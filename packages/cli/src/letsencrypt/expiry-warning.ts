import { collectStatus } from '@smeconf/certificates';
import type { Backend } from '@smeconf/db';
import { EventLog } from '@smeconf/events';
import { readCertificateView } from '../cert/view.ts';
import type { Layout } from '../layout.ts';

/**
 * After a renewal run (the daily cron job's): when the certificate has
 * fewer than letsencrypt ExpiryWarningDays (14) left and the renewal failed
 * (dehydrated's exit status, or the run the hook recorded), one warning
 * line for stderr (cron mails it) and one line in the event log; the
 * status shows it as E_CERT_RENEWAL_FAILING.
 */
export async function warnOnExpiry(backend: Backend, layout: Layout, renewStatus: number, warn: (line: string) => void): Promise<void> {
  const view = await readCertificateView(backend, layout.root);
  const status = await collectStatus({ ...view, now: new Date(), expiryDays: view.expiryDays, checkServed: false });
  const failed = renewStatus !== 0 || view.records.lastRun?.result === 'failed';
  const certificate = status.certificate;
  if (!failed || certificate === null || certificate.daysLeft >= view.expiryDays) return;
  const run = view.records.lastRun;
  const why = run?.code ? `${run.code}${run.detail === '' ? '' : `: ${run.detail}`}` : `exit status ${renewStatus}`;
  const line = `warning: the certificate ${certificate.crt} expires in ${certificate.daysLeft} day${certificate.daysLeft === 1 ? '' : 's'} (${certificate.notAfter}) and the renewal failed (${why}) [E_CERT_RENEWAL_FAILING]`;
  new EventLog(layout.eventLogPath, warn).append({ certificate: 'expiry', result: 'warning', code: 'E_CERT_RENEWAL_FAILING', daysLeft: certificate.daysLeft, notAfter: certificate.notAfter, detail: why });
  warn(line);
}
