import { plain } from '../unsafe-value.ts';
import { splitArgs } from './scope.ts';
import { asText } from './text.ts';

// Comparisons and boolean logic, for `{{#if (eq status "enabled")}}`.
// Values compare as strings ("443" equals 443); absent is undefined.

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : asText(v));

export function eqHelper(...args: unknown[]): boolean {
  const [a, b] = splitArgs(args).params;
  return str(a) === str(b);
}

export function neHelper(...args: unknown[]): boolean {
  return !eqHelper(...args);
}

/** As JavaScript's `&&`: the first falsy argument (an empty string is false), else the last. */
export function andHelper(...args: unknown[]): unknown {
  const params = splitArgs(args).params;
  return params.find((v) => !plain(v)) ?? params[params.length - 1];
}

/** As JavaScript's `||`: the first truthy argument, else the last: `{{or letsencrypt.email "root@localhost"}}`. */
export function orHelper(...args: unknown[]): unknown {
  const params = splitArgs(args).params;
  return params.find((v) => Boolean(plain(v))) ?? params[params.length - 1];
}

export function notHelper(...args: unknown[]): boolean {
  return !plain(splitArgs(args).params[0]);
}

/** `{{#if (in status "test" "enabled")}}`: equal to any of the later arguments. */
export function inHelper(...args: unknown[]): boolean {
  const [value, ...choices] = splitArgs(args).params;
  return choices.some((choice) => str(choice) === str(value));
}
