import { FORMATS } from './format-checks.ts';
import { TemplateError } from './template-error.ts';
import { formatOf, keyFormatOf } from './value-formats.ts';

/** Control characters that could start a new directive in a line-oriented file (tab is fine). */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Where a database string comes from: a prop, a record's type (prop null), or a key itself (`isKey`). */
export interface ValueSource {
  readonly db: string;
  readonly key: string;
  readonly prop: string | null;
  readonly isKey?: true;
}

/**
 * A database value that must not be printed as it is: it fails its declared
 * format (value-formats.ts), or holds a newline or another control
 * character. It stands in for the string in template data and in
 * JavaScript fragments: converting it to text in any way (`{{…}}`, a
 * template literal, `String()`, `+`, `join`, `JSON.stringify`) throws
 * E_TPL_UNSAFE_VALUE naming db, key and prop; comparison helpers compare
 * its text; only `raw` prints it (and `shellQuote`/`apacheQuote` quote it
 * when its only fault is a control character).
 */
export class UnsafeValue {
  readonly #value: string;
  readonly where: ValueSource;
  /** The format it fails ("an IP address …"), or null when its only fault is a control character. */
  readonly fails: string | null;

  constructor(value: string, where: ValueSource, fails: string | null = null) {
    this.#value = value;
    this.where = where;
    this.fails = fails;
  }

  /** The string itself: for comparisons and `raw` only. */
  get value(): string {
    return this.#value;
  }

  error(): TemplateError {
    const { db, key, prop, isKey } = this.where;
    const what = isKey === true ? `a key of ${db}` : prop === null ? `the type of ${db} ${key}` : `${db} ${key} ${prop}`;
    const text = JSON.stringify(this.#value);
    const message =
      this.fails === null
        ? `${what} contains a newline or control character (${text}); print it with {{raw …}} if that is meant`
        : `${what} is not ${this.fails}: ${text}`;
    return new TemplateError('E_TPL_UNSAFE_VALUE', message, { details: { db, key, prop } });
  }

  toString(): string {
    throw this.error();
  }

  toJSON(): never {
    throw this.error();
  }

  [Symbol.toPrimitive](): never {
    throw this.error();
  }
}

/**
 * A database string as template data: itself, or an UnsafeValue when it
 * fails its declared format or holds a control character. An empty value
 * means "not set" and passes every format but `port`.
 */
export function guard(value: string, where: ValueSource): string | UnsafeValue {
  const name = where.isKey === true ? keyFormatOf(where.db) : formatOf(where.db, where.key, where.prop);
  const format = name === undefined ? undefined : FORMATS[name];
  if (format !== undefined && !(value === '' && format.emptyMeansUnset) && !format.test(value)) {
    return new UnsafeValue(value, where, format.description);
  }
  return CONTROL.test(value) ? new UnsafeValue(value, where) : value;
}

/** The plain string behind a value (for comparisons and `raw`). */
export function plain(value: unknown): unknown {
  return value instanceof UnsafeValue ? value.value : value;
}

/** The text a quoting helper may quote: a value failing its format is refused even quoted (it would still be wrong there). */
export function quotable(value: unknown): unknown {
  if (value instanceof UnsafeValue && value.fails !== null) throw value.error();
  return plain(value);
}
