import { isIPv4, isIPv6 } from 'node:net';
import { ToolError, UsageError } from '@smeconf/errors';

/** The configuration record of `smeconf serve` (docs/status-page.md). */
export const STATUS_PAGE_RECORD = 'statuspage';

export const DEFAULT_PORT = 8089;
export const DEFAULT_ADDRESS = '127.0.0.1';
export const DEFAULT_RECHECK_SECONDS = 60;
/** A shorter token is refused: the page may be reachable through Apache. */
export const MIN_TOKEN_LENGTH = 16;

export interface StatusPageSettings {
  readonly token: string;
  /** For listen(): an IPv6 address without its brackets. */
  readonly host: string;
  /** 0 (--port 0 only): any free port. */
  readonly port: number;
  readonly recheckSeconds: number;
}

export interface SettingsOverrides {
  /** --port */
  readonly port?: number | undefined;
  /** --bind */
  readonly bind?: string | undefined;
}

/**
 * The record's props (undefined: no record) and the command's flags → the
 * settings, each checked: no Token (or a short one) is E_SERVE_NO_TOKEN,
 * never an open page; a bad prop is E_DB_PROP_INVALID naming it, a bad
 * flag E_USAGE.
 */
export function statusPageSettings(props: ReadonlyMap<string, string> | undefined, overrides: SettingsOverrides = {}): StatusPageSettings {
  const token = props?.get('Token') ?? '';
  const howTo = `openssl rand -hex 16 makes one; the page is never served without it`;
  if (props === undefined) throw new ToolError('E_SERVE_NO_TOKEN', `no ${STATUS_PAGE_RECORD} record, so no access token: config set ${STATUS_PAGE_RECORD} service Token SECRET (${howTo})`);
  if (token === '') throw new ToolError('E_SERVE_NO_TOKEN', `no access token for the status page: config setprop ${STATUS_PAGE_RECORD} Token SECRET (${howTo})`);
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ToolError('E_SERVE_NO_TOKEN', `the status page's access token is too short (${token.length} characters, at least ${MIN_TOKEN_LENGTH}): config setprop ${STATUS_PAGE_RECORD} Token SECRET (${howTo})`);
  }
  const prop = (name: string) => props.get(name) ?? '';
  const invalid = (name: string, expected: string) => () => new ToolError('E_DB_PROP_INVALID', `${STATUS_PAGE_RECORD} ${name} ${JSON.stringify(prop(name))}: expected ${expected}`);
  const port =
    overrides.port !== undefined
      ? checked(Number.isInteger(overrides.port) && overrides.port >= 0 && overrides.port <= 65535 ? overrides.port : undefined, () => new UsageError(`--port ${overrides.port}: expected a port number (0-65535; 0: any free port)`))
      : prop('TCPPort') === '' ? DEFAULT_PORT : checked(portOf(prop('TCPPort')), invalid('TCPPort', 'a port number (1-65535)'));
  const host =
    overrides.bind !== undefined
      ? checked(hostOf(overrides.bind), () => new UsageError(`--bind ${JSON.stringify(overrides.bind)}: expected an IP address`))
      : prop('ListenAddress') === '' ? DEFAULT_ADDRESS : checked(hostOf(prop('ListenAddress')), invalid('ListenAddress', 'an IP address (IPv4, or IPv6 in brackets)'));
  const recheckSeconds =
    prop('RecheckSeconds') === '' ? DEFAULT_RECHECK_SECONDS : checked(/^\d{1,6}$/.test(prop('RecheckSeconds')) ? Number(prop('RecheckSeconds')) : undefined, invalid('RecheckSeconds', 'a whole number of seconds'));
  return { token, host, port, recheckSeconds };
}

function portOf(text: string): number | undefined {
  return /^[1-9]\d{0,4}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined;
}

/** IPv4, or IPv6 with or without brackets → the address listen() takes. */
function hostOf(text: string): string | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return isIPv4(bare) || isIPv6(bare) ? bare : undefined;
}

function checked<T>(value: T | undefined, error: () => Error): T {
  if (value === undefined) throw error();
  return value;
}
