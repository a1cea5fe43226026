import { asText } from './text.ts';
import { splitArgs } from './scope.ts';

/** `{{shellQuote email}}` → `'it'\''s'`: one shell word, whatever the value holds. */
export function shellQuoteHelper(...args: unknown[]): string {
  const value = asText(splitArgs(args).params[0]);
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** `{{apacheQuote path}}` → `"C:\\dir \"x\""`: an Apache quoted string; refuses newlines. */
export function apacheQuoteHelper(...args: unknown[]): string {
  const value = asText(splitArgs(args).params[0]);
  if (/[\n\r]/.test(value)) throw new Error(`apacheQuote: an Apache directive cannot hold a newline: ${JSON.stringify(value)}`);
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** `{{raw note}}`: print a value as it is, newlines and control characters included. */
export function rawHelper(...args: unknown[]): string {
  return asText(splitArgs(args).params[0]);
}
