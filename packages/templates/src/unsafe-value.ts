import { TemplateError } from './template-error.ts';

/** Control characters that could start a new directive in a line-oriented file (tab is fine). */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * A database value holding a newline or another control character. It
 * stands in for the string in template data, so that printing it refuses
 * (naming db, key and prop) unless the fragment asks for `{{raw …}}`.
 */
export class UnsafeValue {
  readonly value: string;
  readonly where: { readonly db: string; readonly key: string; readonly prop: string | null };

  constructor(value: string, where: UnsafeValue['where']) {
    this.value = value;
    this.where = where;
  }

  toString(): string {
    const { db, key, prop } = this.where;
    const what = prop === null ? `the type of ${db} ${key}` : `${db} ${key} ${prop}`;
    throw new TemplateError(
      'E_TPL_UNSAFE_VALUE',
      `${what} contains a newline or control character (${JSON.stringify(this.value)}); print it with {{raw …}} if that is meant`,
      { details: { ...this.where } },
    );
  }
}

/** A database string as template data: itself, or an UnsafeValue when it holds a control character. */
export function guard(value: string, where: UnsafeValue['where']): string | UnsafeValue {
  return CONTROL.test(value) ? new UnsafeValue(value, where) : value;
}

/** The plain string behind a value (for comparisons and escaping helpers). */
export function plain(value: unknown): unknown {
  return value instanceof UnsafeValue ? value.value : value;
}
