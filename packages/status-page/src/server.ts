import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CertificateStatus } from '@smeconf/certificates';
import { ToolError } from '@smeconf/errors';
import { REALM, authorized } from './auth.ts';
import { FormTokens } from './form-token.ts';
import { renderPage } from './page.ts';
import type { PageEvent } from './recent-events.ts';
import { Recheck } from './recheck.ts';
import { sameOriginProblem } from './same-origin.ts';
import { STYLESHEET } from './style.ts';

/** What the page shows and does, as functions: the library reads no database, file or environment itself. */
export interface StatusPageOptions {
  readonly token: string;
  /** Page loads re-run the preflight at most this often. */
  readonly recheckSeconds: number;
  /** The status, checked now (called on every page load, and again after a preflight). */
  readonly status: () => Promise<CertificateStatus>;
  /** Runs the preflight and records its outcomes (the next status() shows them). */
  readonly preflight: () => Promise<void>;
  readonly events: () => Promise<readonly PageEvent[]>;
  /** One line per request that failed on the server's side. */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
  readonly formTokens?: FormTokens;
}

/** Sent with every answer, the 401 included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // not no-referrer: with it, a browser's form POST says `Origin: null` and the same-origin check cannot pass
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The largest "check again" form body read. */
const MAX_FORM_BYTES = 4096;

type Answer = { readonly status: number; readonly type?: string; readonly body: string; readonly headers?: Record<string, string> };

/**
 * The request handler: the token on every request (401 otherwise), then
 * GET / (the page), GET /style.css, POST /check (the form: same origin and
 * its page token, then the preflight, then 303 back to the page). Links are
 * relative, so the page works at / and under any path Apache proxies.
 */
export function statusPageHandler(options: StatusPageOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const now = options.now ?? (() => new Date());
  const forms = options.formTokens ?? new FormTokens();
  const recheck = new Recheck(options.preflight, options.recheckSeconds * 1000);

  const page = async (): Promise<Answer> => {
    let status = await options.status();
    if (status.names.length > 0 && recheck.due(oldestCheck(status), now())) {
      await recheck.run(now());
      status = await options.status();
    }
    const events = await options.events();
    const body = renderPage({ status, events, formToken: forms.issue(now()), now: now(), oldestCheck: oldestCheck(status), recheckSeconds: options.recheckSeconds, preflightError: recheck.lastError });
    return { status: 200, type: 'text/html; charset=utf-8', body };
  };

  const check = async (request: IncomingMessage): Promise<Answer> => {
    const refused = sameOriginProblem(request.headers) ?? forms.verify(new URLSearchParams(await readForm(request)).get('form_token') ?? undefined, now());
    if (refused !== undefined) return text(403, `403: "check again" refused: ${refused}`);
    await recheck.run(now());
    return { status: 303, body: '', headers: { Location: './' } };
  };

  const route = async (request: IncomingMessage): Promise<Answer> => {
    if (!authorized(request.headers.authorization, options.token)) {
      return { ...text(401, '401: the status page needs its token (HTTP Basic: any user name, the token as the password; or Authorization: Bearer TOKEN)'), headers: { 'WWW-Authenticate': `Basic realm="${REALM}", charset="UTF-8"` } };
    }
    const path = new URL(request.url ?? '/', 'http://page.invalid').pathname;
    const method = request.method ?? 'GET';
    const reading = method === 'GET' || method === 'HEAD';
    if (path === '/') return reading ? page() : notAllowed('GET, HEAD');
    if (path === '/style.css') return reading ? { status: 200, type: 'text/css; charset=utf-8', body: STYLESHEET } : notAllowed('GET, HEAD');
    if (path === '/check') return method === 'POST' ? check(request) : notAllowed('POST');
    return text(404, '404: not found');
  };

  return (request, response) => {
    route(request)
      .catch((error: unknown) => {
        if (error instanceof FormTooLarge) return text(413, `413: ${error.message}`);
        const line = oneLine(error);
        options.log(`${request.method ?? ''} ${request.url ?? ''}: ${line}`);
        return text(500, `500: ${line}`);
      })
      .then((answer) => send(response, answer))
      .catch(() => response.destroy());
  };
}

export interface RunningStatusPage {
  /** http://HOST:PORT/ as bound (the port chosen when 0 was asked). */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the page on host:port; E_SERVE_LISTEN when it cannot listen there. */
export function listenStatusPage(options: StatusPageOptions & { readonly host: string; readonly port: number }): Promise<RunningStatusPage> {
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, statusPageHandler(options));
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new ToolError('E_SERVE_LISTEN', `cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`, { cause: error }));
    });
    server.listen(options.port, options.host, () => {
      const { address, port } = server.address() as AddressInfo;
      resolve({
        url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The oldest recorded preflight among the names; null when a name has none (or an unreadable time). */
export function oldestCheck(status: CertificateStatus): Date | null {
  let oldest: Date | null = null;
  for (const row of status.names) {
    const at = row.check === null ? NaN : Date.parse(row.check.at);
    if (Number.isNaN(at)) return null;
    if (oldest === null || at < oldest.getTime()) oldest = new Date(at);
  }
  return oldest;
}

class FormTooLarge extends Error {}

/** The form body; past MAX_FORM_BYTES the rest is read and dropped (requestTimeout bounds it), then FormTooLarge. */
function readForm(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      if (body.length <= MAX_FORM_BYTES) body += chunk;
    });
    request.on('end', () => (body.length > MAX_FORM_BYTES ? reject(new FormTooLarge(`the form is larger than ${MAX_FORM_BYTES} bytes`)) : resolve(body)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { ...SECURITY_HEADERS, ...(answer.type !== undefined && { 'Content-Type': answer.type }), ...answer.headers });
  response.end(answer.body);
}

function text(status: number, body: string): Answer {
  return { status, type: 'text/plain; charset=utf-8', body: `${body}\n` };
}

function notAllowed(allow: string): Answer {
  return { ...text(405, '405: method not allowed'), headers: { Allow: allow } };
}

function oneLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
  return error instanceof ToolError ? `${message} [${error.code}]` : message;
}
