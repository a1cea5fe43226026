import { quotable } from '../unsafe-value.ts';
import { asText } from './text.ts';

// Quoting makes a value one word; it does not make a wrong value right: a
// value failing its declared format (a port that is not a port, a path with
// blanks) is refused here too. A value whose only fault is a control
// character is quoted (apacheQuote still refuses newlines).

/** `{{shellQuote email}}` → `'it'\''s'`: one shell word, whatever the value holds. */
export function shellQuoteHelper(params: unknown[]): string {
  const value = asText(quotable(params[0]));
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** `{{apacheQuote path}}` → `"C:\\dir \"x\""`: an Apache quoted string; refuses newlines. */
export function apacheQuoteHelper(params: unknown[]): string {
  const value = asText(quotable(params[0]));
  if (/[\n\r]/.test(value)) throw new Error(`apacheQuote: an Apache directive cannot hold a newline: ${JSON.stringify(value)}`);
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** `{{raw note}}`: print a value as it is, newlines, control characters and format failures included. */
export function rawHelper(params: unknown[]): string {
  return asText(params[0]);
}
