import { describeCode, finding } from './codes.ts';
import type { Finding, Severity } from './codes.ts';
import type { CertificateDetails, Inspection } from './inspect.ts';
import type { ServedResult } from './served.ts';

export interface NameRow {
  readonly name: string;
  readonly inCertificate: boolean;
  /** match, different, unreachable, or not-checked (HTTPS off, or no certificate to compare). */
  readonly served: ServedResult['state'] | 'not-checked';
  readonly codes: readonly string[];
}

export interface CertificateStatus {
  readonly status: 'ok' | Severity;
  readonly names: readonly NameRow[];
  readonly certificate: CertificateDetails | null;
  /** Recorded by the dehydrated hook (a later slice): null until then. */
  readonly lastAttempt: null;
  readonly findings: readonly (Finding & { readonly cause: string; readonly fix: string })[];
}

/** The status of `names` from the inspection and the served check (undefined: not checked). */
export function certificateStatus(names: readonly string[], inspection: Inspection, served: ReadonlyMap<string, ServedResult> | undefined): CertificateStatus {
  const findings: Finding[] = [...inspection.findings];
  for (const [name, result] of served ?? []) {
    if (result.state === 'different') findings.push(finding('E_CERT_SERVED_DIFFERENT', `served ${result.fingerprint256}, deployed ${inspection.details?.fingerprint256 ?? 'none'}`, name));
    if (result.state === 'unreachable') findings.push(finding('E_CERT_SERVED_UNREACHABLE', result.detail, name));
  }
  const rows = names.map((name): NameRow => ({
    name,
    inCertificate: inspection.inCertificate.get(name) ?? false,
    served: served?.get(name)?.state ?? 'not-checked',
    codes: findings.filter((item) => item.name === name || item.name === undefined).map((item) => item.code),
  }));
  const status = findings.some((item) => item.severity === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
  return {
    status,
    names: rows,
    certificate: inspection.details ?? null,
    lastAttempt: null,
    findings: findings.map((item) => ({ ...item, cause: describeCode(item.code)!.cause, fix: describeCode(item.code)!.fix })),
  };
}

/** The text of `smeconf cert status`: a row per name, the certificate, the last attempt, then each finding with cause and fix. */
export function formatStatus(status: CertificateStatus): string {
  const width = Math.max(4, ...status.names.map((row) => row.name.length));
  const lines = [`${'name'.padEnd(width)}  in cert  served       codes`];
  for (const row of status.names) {
    lines.push(`${row.name.padEnd(width)}  ${(row.inCertificate ? 'yes' : 'NO').padEnd(7)}  ${row.served.padEnd(11)}  ${row.codes.join(' ') || 'OK'}`);
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
  lines.push('last issuance attempt: not recorded yet', '');
  for (const item of status.findings) {
    lines.push(`${item.severity} ${item.code}${item.name === undefined ? '' : ` ${item.name}`}: ${item.detail}`, `  cause: ${item.cause}`, `  fix:   ${item.fix}`);
  }
  lines.push(`status: ${status.status === 'ok' ? 'OK' : status.status === 'warning' ? 'warnings' : 'errors'}`);
  return `${lines.join('\n')}\n`;
}
