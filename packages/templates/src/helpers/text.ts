import { UnsafeValue } from '../unsafe-value.ts';

/**
 * A helper argument as text: strings as they are, numbers and booleans
 * printed, an UnsafeValue's string, a record view's type (its toString),
 * nothing for undefined or null.
 */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof UnsafeValue) return value.value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return (value as { toString(): string }).toString();
}
