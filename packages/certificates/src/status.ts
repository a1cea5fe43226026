import { describeCode, finding } from './codes.ts';
import type { Finding, Severity } from './codes.ts';
import type { CertificateDetails, Inspection } from './inspect.ts';
import type { CertificateRecords, NameRecord, RunRecord } from './records.ts';
import { OK } from './records.ts';
import type { ServedResult } from './served.ts';

export interface NameRow {
  readonly name: string;
  readonly inCertificate: boolean;
  /** match, different, unreachable, or not-checked (HTTPS off, or no certificate to compare). */
  readonly served: ServedResult['state'] | 'not-checked';
  readonly codes: readonly string[];
  /** The last preflight (smeconf cert check, or the renewal's), null if none yet. */
  readonly check: NonNullable<NameRecord['check']> | null;
  /** Left out of domains.txt by SkipFailingNames (its check code says why). */
  readonly skipped: boolean;
  /** The last issuance attempt for the name, recorded by the dehydrated hook; null if none yet. */
  readonly lastAttempt: NonNullable<NameRecord['attempt']> | null;
}

export interface CertificateStatus {
  readonly status: 'ok' | Severity;
  readonly names: readonly NameRow[];
  readonly certificate: CertificateDetails | null;
  /** The last renewal run, recorded by the dehydrated hook; null if none yet. */
  readonly lastRun: RunRecord | null;
  readonly findings: readonly (Finding & { readonly cause: string; readonly fix: string })[];
}

/** The status of `names` from the inspection and the served check (undefined: not checked). */
export function certificateStatus(names: readonly string[], inspection: Inspection, served: ReadonlyMap<string, ServedResult> | undefined, records: CertificateRecords): CertificateStatus {
  const findings: Finding[] = [...inspection.findings, ...recordedFindings(names, records)];
  const renewal = renewalFailing(inspection, records.lastRun);
  if (renewal !== undefined) findings.push(renewal);
  for (const [name, result] of served ?? []) {
    if (result.state === 'different') findings.push(finding('E_CERT_SERVED_DIFFERENT', `served ${result.fingerprint256}, deployed ${inspection.details?.fingerprint256 ?? 'none'}`, name));
    if (result.state === 'unreachable') findings.push(finding('E_CERT_SERVED_UNREACHABLE', result.detail, name));
  }
  const rows = names.map((name): NameRow => ({
    name,
    inCertificate: inspection.inCertificate.get(name) ?? false,
    served: served?.get(name)?.state ?? 'not-checked',
    codes: [...new Set(findings.filter((item) => item.name === name || item.name === undefined).map((item) => item.code))],
    check: records.names.get(name)?.check ?? null,
    skipped: records.names.get(name)?.skipped ?? false,
    lastAttempt: records.names.get(name)?.attempt ?? null,
  }));
  const status = findings.some((item) => item.severity === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
  return {
    status,
    names: rows,
    certificate: inspection.details ?? null,
    lastRun: records.lastRun ?? null,
    findings: findings.map((item) => ({ ...item, cause: describeCode(item.code)!.cause, fix: describeCode(item.code)!.fix })),
  };
}

/**
 * What the `certificates` database holds against a name, as findings: a
 * failed last preflight (a skipped name says so), a failed last attempt.
 * Codes not in the catalogue (an older or newer smeconf wrote them) are
 * left out rather than guessed at.
 */
function recordedFindings(names: readonly string[], records: CertificateRecords): Finding[] {
  const found: Finding[] = [];
  for (const name of names) {
    const record = records.names.get(name);
    const check = record?.check;
    if (check !== undefined && check.code !== OK && describeCode(check.code) !== undefined) {
      found.push(finding(check.code, `${record!.skipped ? 'left out of the certificate by SkipFailingNames: ' : ''}${check.detail} (preflight ${check.at})`, name));
    }
    const attempt = record?.attempt;
    if (attempt !== undefined && attempt.result === 'failed' && describeCode(attempt.code) !== undefined) {
      found.push(finding(attempt.code, `${attempt.detail} (issuance attempt ${attempt.at})`, name));
    }
  }
  return found;
}

/** E_CERT_RENEWAL_FAILING: expiring (or expired) and the last renewal run failed. */
export function renewalFailing(inspection: Inspection, lastRun: RunRecord | undefined): Finding | undefined {
  const expiring = inspection.findings.some((item) => item.code === 'E_CERT_EXPIRING' || item.code === 'E_CERT_EXPIRED');
  if (!expiring || lastRun?.result !== 'failed') return undefined;
  const days = inspection.details?.daysLeft;
  return finding('E_CERT_RENEWAL_FAILING', `${days === undefined ? '' : `${days} day${days === 1 ? '' : 's'} left; `}the last renewal (${lastRun.finished || lastRun.started}) failed${lastRun.code === '' ? '' : ` with ${lastRun.code}`}${lastRun.detail === '' ? '' : `: ${lastRun.detail}`}`);
}

/** The text of `smeconf cert status`: a row per name, the certificate, the last attempt, then each finding with cause and fix. */
export function formatStatus(status: CertificateStatus): string {
  const width = Math.max(4, ...status.names.map((row) => row.name.length));
  const lines = [`${'name'.padEnd(width)}  in cert  served       codes`];
  for (const row of status.names) {
    lines.push(`${row.name.padEnd(width)}  ${(row.inCertificate ? 'yes' : 'NO').padEnd(7)}  ${row.served.padEnd(11)}  ${row.codes.join(' ') || 'OK'}${row.skipped ? ' (skipped)' : ''}`);
  }
  lines.push('');
  const certificate = status.certificate;
  if (certificate === null) {
    lines.push('certificate: none');
  } else {
    lines.push(
      `certificate: ${certificate.crt} (${certificate.source})`,
      `  issuer:     ${certificate.issuer}`,
      `  serial:     ${certificate.serial}`,
      `  names:      ${certificate.sans.join(' ')}`,
      `  key:        ${certificate.keyType}${certificate.keySize === null ? '' : ` ${certificate.keySize}`} (${certificate.key}${certificate.keyMatches === true ? ', matches' : certificate.keyMatches === false ? ', DOES NOT MATCH' : ', unreadable'})`,
      `  valid:      ${certificate.notBefore} to ${certificate.notAfter} (${certificate.daysLeft} days left)`,
      `  chain:      ${certificate.chainVerification}${certificate.chain === null ? '' : ` (${certificate.chain})`}`,
      `  sha256:     ${certificate.fingerprint256}`,
    );
  }
  lines.push(formatRun(status.lastRun));
  for (const row of status.names) {
    if (row.lastAttempt !== null) lines.push(`  ${row.name}: ${row.lastAttempt.result} ${row.lastAttempt.at}${row.lastAttempt.code === OK ? '' : ` ${row.lastAttempt.code}`}${row.skipped ? ' (skipped since)' : ''}`);
  }
  lines.push('');
  for (const item of status.findings) {
    lines.push(`${item.severity} ${item.code}${item.name === undefined ? '' : ` ${item.name}`}: ${item.detail}`, `  cause: ${item.cause}`, `  fix:   ${item.fix}`);
  }
  lines.push(`status: ${status.status === 'ok' ? 'OK' : status.status === 'warning' ? 'warnings' : 'errors'}`);
  return `${lines.join('\n')}\n`;
}

function formatRun(run: RunRecord | null): string {
  if (run === null) return 'last renewal run: none recorded';
  const code = run.code === '' || run.code === OK ? '' : ` ${run.code}`;
  return `last renewal run: ${run.result}${code}, ${run.started} to ${run.finished || '(running)'}${run.detail === '' ? '' : `: ${run.detail}`}`;
}
