import type { CertificateStatus, NameRow } from '@smeconf/certificates';
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import type { PageEvent } from './recent-events.ts';

type Finding = CertificateStatus['findings'][number];
type Level = CertificateStatus['status'];

/** Everything one rendering shows. */
export interface PageModel {
  readonly status: CertificateStatus;
  readonly events: readonly PageEvent[];
  /** The "check again" form's per-page token. */
  readonly formToken: string;
  readonly now: Date;
  /** The oldest recorded preflight of the names; null: a name was never checked. */
  readonly oldestCheck: Date | null;
  readonly recheckSeconds: number;
  /** The page's last preflight failed (nothing recorded): why. */
  readonly preflightError: { readonly at: Date; readonly message: string } | undefined;
}

const LABEL: Record<Level, string> = { ok: 'OK', warning: 'warnings', error: 'errors' };
const EVENT_LABEL: Record<Level, string> = { ok: 'ok', warning: 'warning', error: 'failed' };

/**
 * The status page: server-rendered, no script, every value escaped (html``).
 * Stable hooks for scripts and tests: `#overall[data-status]`, one
 * `tr.name-row[data-name][data-status][data-codes]` per enabled name (its
 * `td.codes` says OK or the codes), `.finding[data-code]` with cause and
 * fix, `#check-again` (the form's button), `details#certificate`,
 * `tr.event-row[data-level]`.
 */
export function renderPage(model: PageModel): string {
  const { status } = model;
  const general = status.findings.filter((item) => item.name === undefined);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>HTTPS certificate status</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header>
<h1>HTTPS certificate</h1>
<span id="overall" class="badge ${status.status}" data-status="${status.status}">${LABEL[status.status]}</span>
<form method="post" action="check"><input type="hidden" name="form_token" value="${model.formToken}"><button id="check-again" type="submit">Check again</button></form>
</header>
<main>
${preflightLine(model)}
<section id="names">
<h2>Names</h2>
<table>
<thead><tr><th>name</th><th>state</th><th>in certificate</th><th>served</th><th>last check</th><th>last issuance attempt</th></tr></thead>
<tbody>
${status.names.map((row) => nameRows(row, status.findings))}
</tbody>
</table>
${status.names.length === 0 ? html`<p class="muted">No enabled names.</p>` : ''}
</section>
${general.length === 0 ? '' : html`<section id="certificate-findings"><h2>The certificate</h2>${general.map(findingBlock)}</section>`}
<section>
${certificateDetails(status)}
${lastRun(status)}
</section>
<section id="events">
<h2>Recent events</h2>
${model.events.length === 0 ? html`<p class="muted">None in the event log.</p>` : eventsTable(model.events)}
</section>
</main>
</body>
</html>
`.text;
}

function preflightLine(model: PageModel): SafeHtml {
  const checked = model.oldestCheck === null ? 'not run for every name yet' : `oldest ${model.oldestCheck.toISOString()}`;
  const error = model.preflightError;
  return html`<p id="preflight" class="muted">Preflight (DNS and the challenge path): ${checked}; page loads re-run it at most every ${model.recheckSeconds} s. Shown at ${model.now.toISOString()}.</p>
${error === undefined ? '' : html`<p id="preflight-error" class="notice">The preflight failed at ${error.at.toISOString()}: ${error.message}</p>`}`;
}

function nameRows(row: NameRow, findings: readonly Finding[]): SafeHtml {
  const own = findings.filter((item) => item.name === row.name);
  const level = levelOf(findings.filter((item) => item.name === row.name || item.name === undefined));
  const codes = row.codes.length === 0 ? html`<span class="badge ok">OK</span>` : row.codes.map((code) => html`<span class="badge code ${severityOf(code, findings)}">${code}</span>`);
  const check = row.check === null ? 'never' : html`${row.check.code} <span class="muted">${row.check.at}</span>`;
  const attempt = row.lastAttempt === null ? 'none recorded' : html`${row.lastAttempt.result}${row.lastAttempt.code === '' || row.lastAttempt.code === 'OK' ? '' : html` ${row.lastAttempt.code}`} <span class="muted">${row.lastAttempt.at}</span>`;
  return html`<tr class="name-row" data-name="${row.name}" data-status="${level}" data-codes="${row.codes.join(' ')}">
<td class="name"><code>${row.name}</code>${row.skipped ? html` <span class="muted skipped">(left out of the certificate)</span>` : ''}</td>
<td class="codes">${codes}</td>
<td class="in-certificate">${row.inCertificate ? 'yes' : 'no'}</td>
<td class="served">${row.served}</td>
<td class="check">${check}</td>
<td class="attempt">${attempt}</td>
</tr>
${own.length === 0 ? '' : html`<tr class="findings-row" data-name="${row.name}"><td colspan="6">${own.map(findingBlock)}</td></tr>`}
`;
}

function findingBlock(item: Finding): SafeHtml {
  return html`<div class="finding ${item.severity}" data-code="${item.code}">
<p><code>${item.code}</code> <span class="detail">${item.detail}</span></p>
<p class="cause">cause: ${item.cause}</p>
<p class="fix">fix: <code>${item.fix}</code></p>
</div>`;
}

function certificateDetails(status: CertificateStatus): SafeHtml {
  const c = status.certificate;
  if (c === null) return html`<h2>Certificate</h2><p class="muted">No readable certificate.</p>`;
  const key = `${c.keyType}${c.keySize === null ? '' : ` ${c.keySize}`}, ${c.keyMatches === true ? 'matches' : c.keyMatches === false ? 'does NOT match' : 'unreadable'}`;
  const entries: [string, string][] = [
    ['file', `${c.crt} (${c.source})`],
    ['subject', c.subject],
    ['issuer', c.issuer],
    ['serial', c.serial],
    ['names', c.sans.join(' ')],
    ['key', `${c.key}: ${key}`],
    ['valid', `${c.notBefore} to ${c.notAfter} (${c.daysLeft} days left)`],
    ['chain', `${c.chainVerification}${c.chain === null ? '' : ` (${c.chain})`}`],
    ['SHA-256', c.fingerprint256],
  ];
  return html`<details id="certificate"><summary>Certificate: ${c.sans[0] ?? c.subject}, ${c.daysLeft} days left</summary>
<dl>${entries.map(([term, value]) => html`<dt>${term}</dt><dd class="mono" data-field="${term}">${value}</dd>`)}</dl>
</details>`;
}

function lastRun(status: CertificateStatus): SafeHtml {
  const run = status.lastRun;
  if (run === null) return html`<p id="last-run" class="muted">Last renewal run: none recorded.</p>`;
  const code = run.code === '' || run.code === 'OK' ? '' : ` ${run.code}`;
  return html`<p id="last-run" data-result="${run.result}">Last renewal run: ${run.result}${code}, ${run.started} to ${run.finished || '(running)'}${run.detail === '' ? '' : `: ${run.detail}`}</p>`;
}

function eventsTable(events: readonly PageEvent[]): SafeHtml {
  return html`<table>
<thead><tr><th>time</th><th>what</th><th>result</th><th>detail</th></tr></thead>
<tbody>
${events.map((event) => html`<tr class="event-row" data-level="${event.level}"><td class="mono">${event.time}</td><td>${event.what}</td><td><span class="badge ${event.level}">${EVENT_LABEL[event.level]}</span>${event.code === '' ? '' : html` <code>${event.code}</code>`}</td><td class="detail">${event.detail}</td></tr>
`)}
</tbody>
</table>`;
}

function levelOf(findings: readonly Finding[]): Level {
  return findings.some((item) => item.severity === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
}

function severityOf(code: string, findings: readonly Finding[]): Level {
  return findings.find((item) => item.code === code)?.severity ?? 'error';
}
