import { createHash, timingSafeEqual } from 'node:crypto';

/** What a browser shows when it asks for the token (any user name, the token as password). */
export const REALM = 'smeconf status page';

/**
 * Does the Authorization header carry the token? HTTP Basic (any user name,
 * the token as the password: what a browser and Apache's proxy pass on) or
 * `Bearer TOKEN`. Compared in constant time: both sides are hashed first,
 * so neither a length nor a prefix shows in the timing.
 */
export function authorized(header: string | undefined, token: string): boolean {
  const offered = offeredToken(header);
  return offered !== undefined && sameSecret(offered, token);
}

function offeredToken(header: string | undefined): string | undefined {
  const match = /^\s*(Basic|Bearer)\s+(\S+)\s*$/i.exec(header ?? '');
  if (match === null) return undefined;
  const [, scheme = '', value = ''] = match;
  if (scheme.toLowerCase() === 'bearer') return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/** Constant-time equality of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
