import { UsageError } from '@smeconf/errors';

export interface Arity {
  readonly min: number;
  readonly max?: number;
  /** The arguments after the first `pairsFrom` come as name/value pairs. */
  readonly pairsFrom?: number;
}

/** Checks a verb's argument count; a usage error names what is wrong. */
export function checkArity(verb: string, args: readonly string[], arity: Arity): void {
  const max = arity.max ?? Infinity;
  if (args.length < arity.min) {
    throw new UsageError(`${verb}: expected at least ${arity.min} argument${arity.min === 1 ? '' : 's'}, got ${args.length}`);
  }
  if (args.length > max) {
    throw new UsageError(`${verb}: expected at most ${max} argument${max === 1 ? '' : 's'}, got ${args.length}`);
  }
  if (arity.pairsFrom !== undefined && (args.length - arity.pairsFrom) % 2 !== 0) {
    throw new UsageError(`${verb}: properties must come as name/value pairs; the last name has no value`);
  }
}

/** SME refuses an empty key, type or prop name here ("0" is fine: docs/compatibility.md). */
export function nonEmpty(verb: string, what: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${verb}: the ${what} is empty`);
  return value;
}

export function pairs(args: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < args.length; i += 2) map.set(args[i]!, args[i + 1]!);
  return map;
}
