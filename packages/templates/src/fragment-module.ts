import type { RenderScope } from './helpers/index.ts';
import { certificateNames, httpdValues } from './stock-values.ts';
import type { GuardedValue, HttpdValues } from './stock-values.ts';
import { plain } from './unsafe-value.ts';
import type { UnsafeValue } from './unsafe-value.ts';

/** What a JavaScript fragment exports as default: a function of this context returning text. */
export type FragmentModule = (context: FragmentContext) => unknown;

export type { GuardedValue } from './stock-values.ts';

/**
 * The same data and helpers as a Handlebars fragment, with the same guard:
 * values come as Handlebars fragments see them, so a value that fails its
 * format or holds a control character throws E_TPL_UNSAFE_VALUE the moment
 * the module turns it into text (template literal, `String()`, `+`,
 * `join`), and compares unequal to any string. `raw(value)` is the only way
 * to its text, as `{{raw …}}` is in Handlebars.
 */
export interface FragmentContext {
  /** The render data: configuration records by key, MORE_DATA, sub-template values. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Names given to a lookup may be guarded values (a key from keys() or a view): they are names, not output. */
  db(db: string, key: GuardedValue, prop?: string): GuardedValue | undefined;
  prop(key: GuardedValue, prop: string, fallback?: string, db?: string): GuardedValue | undefined;
  keys(db: string): GuardedValue[];
  records(db: string, type?: string): Record<string, unknown>[];
  expand(name: string, extra?: Record<string, unknown>): string;
  /** The text of a value as it is, unsafe or not: the fragment answers for what it then prints. */
  raw(value: GuardedValue): string;
  raw(value: GuardedValue | undefined): string | undefined;
  /** Apache's listen addresses, ports and certificate, as httpd.conf's fragments share them (stock-values.ts). */
  httpd(): HttpdValues;
  /** The Let's Encrypt certificate's names in SME's order; undefined when letsencrypt is disabled. */
  certificateNames(): GuardedValue[] | undefined;
}

export function moduleContext(data: object, scope: RenderScope): FragmentContext {
  const { access } = scope;
  const name = <T extends GuardedValue | undefined>(value: T) => plain(value) as T extends UnsafeValue ? string : T;
  const context: FragmentContext = {
    data: data as Record<string, unknown>,
    db: (db, key, prop) => access.value(name(db), name(key), name(prop)),
    prop: (key, prop, fallback, db = 'configuration') => access.value(name(db), name(key), name(prop)) ?? fallback,
    keys: (db) => access.keys(name(db)),
    records: (db, type) => access.records(name(db), name(type)),
    expand: (name, extra = {}) => scope.expand(name, extra),
    raw: ((value: GuardedValue | undefined) => plain(value)) as FragmentContext['raw'],
    httpd: () => httpdValues(context),
    certificateNames: () => certificateNames(context),
  };
  return context;
}
