import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a page's "check again" form stays valid: a page left open longer must be reloaded. */
export const FORM_TOKEN_MAX_AGE_MS = 2 * 3600_000;

/**
 * The per-page token of the "check again" form (CSRF): `time.nonce.mac`,
 * the MAC an HMAC-SHA256 under a key of this process. Stateless (nothing
 * kept per page), expires after FORM_TOKEN_MAX_AGE_MS, and worthless to
 * another process or after a restart.
 */
export class FormTokens {
  readonly #key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }

  issue(now: Date): string {
    const body = `${now.getTime()}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${this.#mac(body)}`;
  }

  /** Undefined when valid, else why not (for the 403 page). */
  verify(token: string | undefined, now: Date): string | undefined {
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
    if (match === null) return 'the form has no valid page token';
    const [, time = '', nonce = '', mac = ''] = match;
    const expected = Buffer.from(this.#mac(`${time}.${nonce}`));
    if (!timingSafeEqual(expected, Buffer.from(mac))) return 'the form has no valid page token';
    const age = now.getTime() - Number(time);
    if (age > FORM_TOKEN_MAX_AGE_MS || age < -60_000) return 'the page is too old: reload it';
    return undefined;
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}
