import { isIPv4, isIPv6 } from 'node:net';
import { isDomainName } from '@smeconf/db';

/**
 * The formats a database value can be declared to have (value-formats.ts),
 * each a test and the words an error uses ("… is not <description>").
 * They are whitelists: what passes cannot end a directive, start another,
 * split into more words or arguments in Apache's or a shell's hands, or
 * expand (`$`, quotes, globs, backslash, whitespace, control characters).
 */
export interface Format {
  readonly description: string;
  readonly test: (value: string) => boolean;
  /** An empty value means "not set" (SME's convention) and passes; only a port is never optional. */
  readonly emptyMeansUnset: boolean;
}

/** URL characters that mean nothing to Apache or a shell word (no quotes, `$`, backslash, `` ` ``, `{}`, `<>`, `|`, `^`, `#`, blanks). */
const URL_TAIL = /^[A-Za-z0-9._~%!&()*+,;=:@/?-]*$/;

export function isPort(value: string): boolean {
  return /^[1-9][0-9]{0,4}$/.test(value) && Number(value) <= 65535;
}

/** IPv4 dotted quad, or IPv6 in brackets (as Apache's Listen and VirtualHost want it before `:port`). */
export function isAddress(value: string): boolean {
  if (value.startsWith('[') && value.endsWith(']')) return isIPv6(value.slice(1, -1));
  return isIPv4(value);
}

/** A DNS name: letters, digits and hyphens in dot-separated labels (no wildcard, no trailing dot). */
export function isHostname(value: string): boolean {
  return isDomainName(value);
}

/** An absolute path of plain characters only: safe unquoted in a shell and inside Apache's quotes. */
export function isPlainPath(value: string): boolean {
  return /^\/[A-Za-z0-9._+,@%=~/-]*$/.test(value);
}

/** `http(s)://host[:port][/path][?query]`, host a DNS name, IPv4 or [IPv6]. */
export function isHttpUrl(value: string): boolean {
  const match = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[^/:?[\]]+)(?::([0-9]+))?([/?].*)?$/.exec(value);
  if (match === null) return false;
  const [, host = '', port, rest = ''] = match;
  const hostOk = host.startsWith('[') ? isAddress(host) : isHostname(host) || isIPv4(host);
  return hostOk && (port === undefined || isPort(port)) && URL_TAIL.test(rest);
}

/** `local@domain`: no quotes but the apostrophe of o'brien, no blanks, commas or shell/JSON metacharacters. */
export function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && /^[A-Za-z0-9._%+'-]+$/.test(value.slice(0, at)) && isHostname(value.slice(at + 1));
}

export function isDigits(value: string): boolean {
  return /^[0-9]{1,9}$/.test(value);
}

/** An account for Apache's User/Group: a name, or `#uid`. */
export function isAccount(value: string): boolean {
  return /^(?:[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?|#[0-9]{1,10})$/.test(value);
}

/** Apache's LogLevel: `warn`, or `warn ssl:info proxy:trace2`. */
export function isLogLevel(value: string): boolean {
  const level = '(?:emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])';
  return new RegExp(`^(?:[a-z_]+:)?${level}(?: [a-z_]+:${level})*$`).test(value);
}

export const FORMATS = {
  port: { description: 'a port number (1-65535)', test: isPort, emptyMeansUnset: false },
  address: { description: 'an IP address (IPv4, or IPv6 in brackets)', test: isAddress, emptyMeansUnset: true },
  hostname: { description: 'a domain name', test: isHostname, emptyMeansUnset: true },
  path: { description: 'a plain absolute path (letters, digits, / . _ - + , @ % = ~)', test: isPlainPath, emptyMeansUnset: true },
  url: { description: 'an http(s) URL without blanks, quotes or shell characters', test: isHttpUrl, emptyMeansUnset: true },
  email: { description: 'an e-mail address (letters, digits, . _ % + \' - before the @, a domain name after)', test: isEmail, emptyMeansUnset: true },
  digits: { description: 'a number', test: isDigits, emptyMeansUnset: true },
  account: { description: 'a user or group name (or #uid)', test: isAccount, emptyMeansUnset: true },
  loglevel: { description: 'an Apache log level (warn, or warn ssl:info …)', test: isLogLevel, emptyMeansUnset: true },
} as const satisfies Record<string, Format>;

export type FormatName = keyof typeof FORMATS;
