import type { IncomingHttpHeaders } from 'node:http';

/**
 * Is a POST from the page itself? A browser says so: `Sec-Fetch-Site`
 * (same-origin) and `Origin`, whose host must be the one the browser
 * asked for: the Host header, or behind Apache's proxy the host it adds
 * last to X-Forwarded-Host (a cross-site form cannot set that header).
 * At least one of the two must be there, and each one there must agree.
 * Undefined when it holds, else why not.
 */
export function sameOriginProblem(headers: IncomingHttpHeaders): string | undefined {
  const site = headers['sec-fetch-site'];
  const origin = headers.origin;
  if (site === undefined && origin === undefined) return 'the request has neither an Origin nor a Sec-Fetch-Site header';
  if (site !== undefined && site !== 'same-origin') return `the request comes from another site (Sec-Fetch-Site: ${site})`;
  if (origin === undefined) return undefined;
  const originHost = hostOf(origin);
  const forwarded = [headers['x-forwarded-host'] ?? []].flat().join(',').split(',').at(-1)?.trim();
  const hosts = [headers.host, forwarded].filter((host) => host !== undefined && host !== '').map((host) => host!.toLowerCase());
  return originHost !== undefined && hosts.includes(originHost) ? undefined : `the request comes from another origin (Origin: ${origin})`;
}

function hostOf(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : undefined;
  } catch {
    return undefined; // "null" and other opaque origins
  }
}
