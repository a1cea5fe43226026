import { plain } from '../unsafe-value.ts';
import { asText } from './text.ts';

// Comparisons and boolean logic, for `{{#if (eq status "enabled")}}`.
// Values compare as strings ("443" equals 443); absent is undefined.

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : asText(v));

export function eqHelper(params: unknown[]): boolean {
  return str(params[0]) === str(params[1]);
}

export function neHelper(params: unknown[]): boolean {
  return !eqHelper(params);
}

/** As JavaScript's `&&`: the first falsy argument (an empty string is false), else the last. */
export function andHelper(params: unknown[]): unknown {
  return params.find((v) => !plain(v)) ?? params[params.length - 1];
}

/** As JavaScript's `||`: the first truthy argument, else the last: `{{or letsencrypt.email "root@localhost"}}`. */
export function orHelper(params: unknown[]): unknown {
  return params.find((v) => Boolean(plain(v))) ?? params[params.length - 1];
}

export function notHelper(params: unknown[]): boolean {
  return !plain(params[0]);
}

/** `{{#if (in status "test" "enabled")}}`: equal to any of the later arguments. */
export function inHelper(params: unknown[]): boolean {
  const [value, ...choices] = params;
  return choices.some((choice) => str(choice) === str(value));
}
