import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { numberedCode } from '../codes.ts';

/** Where and what to fetch: the challenge URL of `name`, from `address` (never a DNS lookup of its own). */
export interface ChallengeTarget {
  readonly name: string;
  readonly address: string;
  /** Apache's HTTP port (httpd-e-smith TCPPort): where the CA's first request goes. */
  readonly httpPort: number;
  /** Apache's HTTPS port (modSSL TCPPort): a redirect to https is followed there. */
  readonly httpsPort: number;
  readonly token: string;
  /** What the file must be served as. */
  readonly body: string;
  /** Aborted at the run's deadline. */
  readonly signal: AbortSignal;
}

export interface ChallengeResult {
  readonly code: string;
  readonly detail: string;
}

/** Let's Encrypt follows at most 10 redirects. */
export const MAX_REDIRECTS = 10;
/** Enough of a body to compare with the probe's (Let's Encrypt reads little more). */
const MAX_BODY = 4096;

interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

/**
 * Fetches the challenge URL as Let's Encrypt would: plain HTTP to the
 * name's address, `Host: NAME`; redirects followed (at most 10), over http
 * or https (certificate not verified), on the same name only. The body,
 * trailing white space trimmed, must be the probe's. OK, or the catalogue
 * code: E_ACME_HTTP01_UNREACHABLE (no connection, reset, no answer in
 * time), E_ACME_HTTP01_REDIRECTED (to another host, scheme or port),
 * E_ACME_HTTP01_STATUS<N> (not 200), E_ACME_HTTP01_WRONG_CONTENT (200,
 * another body).
 */
export async function fetchChallenge(target: ChallengeTarget): Promise<ChallengeResult> {
  let url = new URL(`http://${target.name}${target.httpPort === 80 ? '' : `:${target.httpPort}`}/.well-known/acme-challenge/${target.token}`);
  for (let redirects = 0; ; redirects++) {
    const shown = shownUrl(url, target.token);
    let answer: Answer;
    try {
      answer = await get(url, target);
    } catch (error) {
      const why = target.signal.aborted ? 'no answer before the run\'s deadline' : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      return { code: 'E_ACME_HTTP01_UNREACHABLE', detail: `${shown} (connecting to ${hostPort(target.address, portOf(url))}): ${why}` };
    }
    if (answer.status === 200) {
      if (answer.body.trimEnd() === target.body) return { code: 'OK', detail: `${target.address} serves the challenge path (${shown})` };
      return { code: 'E_ACME_HTTP01_WRONG_CONTENT', detail: `${shown} answered 200 with other content: ${excerpt(answer.body)}` };
    }
    const isRedirect = [301, 302, 303, 307, 308].includes(answer.status) && answer.location !== undefined;
    if (!isRedirect || redirects === MAX_REDIRECTS) {
      const why = isRedirect ? `, the ${MAX_REDIRECTS + 1}th redirect in a row` : '';
      return { code: numberedCode('E_ACME_HTTP01_STATUS', answer.status), detail: `${shown} answered ${answer.status}${why}` };
    }
    const next = followable(url, answer.location!, target);
    if ('why' in next) return { code: 'E_ACME_HTTP01_REDIRECTED', detail: `${shown} redirects ${next.why}` };
    url = next.url;
  }
}

/** The redirect's URL if Let's Encrypt would follow it here, else why not. */
function followable(from: URL, location: string, target: ChallengeTarget): { url: URL } | { why: string } {
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return { why: `to ${JSON.stringify(location)}, not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { why: `to ${JSON.stringify(location)}: only http and https are followed` };
  if (url.hostname.toLowerCase().replace(/\.$/, '') !== target.name.toLowerCase().replace(/\.$/, '')) return { why: `to another host: ${url.origin}` };
  const ports = url.protocol === 'http:' ? [80, target.httpPort] : [443, target.httpsPort];
  if (!ports.includes(portOf(url))) return { why: `to port ${portOf(url)} (${url.origin}): only the HTTP and HTTPS ports are followed` };
  return { url };
}

function portOf(url: URL): number {
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The URL as details show it: the token is random, the same for every name, so it is left out. */
function shownUrl(url: URL, token: string): string {
  return url.href.replace(token, '…');
}

/** The start of a body, printable ASCII only (it reaches terminals and pages). */
function excerpt(body: string): string {
  const start = JSON.stringify(body.slice(0, 60)).replace(/[^\x20-\x7e]/g, '?');
  return body.length > 60 ? `${start}…` : start;
}

/** One GET of `url`'s path to the target's address; the body is read only for a 200. */
function get(url: URL, target: ChallengeTarget): Promise<Answer> {
  const https = url.protocol === 'https:';
  const options = {
    host: target.address,
    port: portOf(url),
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    headers: { Host: url.host, 'User-Agent': 'smeconf-preflight', Accept: '*/*', Connection: 'close' },
    agent: false as const,
    signal: target.signal,
    // https: the name as SNI, the certificate not verified (Let's Encrypt does not either: it may be the one being replaced)
    ...(https && { servername: target.name, rejectUnauthorized: false }),
  };
  return new Promise<Answer>((resolve, reject) => {
    const request = (https ? httpsRequest : httpRequest)(options, (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status !== 200) {
        response.destroy();
        resolve({ status, location, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY) response.destroy();
      });
      response.on('close', () => {
        // cut short (reset, or the deadline) before the end and before the size limit: no answer
        if (!response.complete && size < MAX_BODY) reject(new Error('the answer was cut short'));
        else resolve({ status, location, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8') });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}
