import type { RenderScope } from './helpers/index.ts';
import { plain } from './unsafe-value.ts';

/** What a JavaScript fragment exports as default: a function of this context returning text. */
export type FragmentModule = (context: FragmentContext) => unknown;

/** The same data and helpers as a Handlebars fragment, as plain functions (values as plain strings). */
export interface FragmentContext {
  /** The render data: configuration records by key, MORE_DATA, sub-template values. */
  readonly data: Readonly<Record<string, unknown>>;
  db(db: string, key: string, prop?: string): string | undefined;
  prop(key: string, prop: string, fallback?: string, db?: string): string | undefined;
  keys(db: string): string[];
  records(db: string, type?: string): Record<string, unknown>[];
  expand(name: string, extra?: Record<string, unknown>): string;
}

export function moduleContext(data: object, scope: RenderScope): FragmentContext {
  const { access } = scope;
  const text = (value: unknown) => plain(value) as string | undefined;
  return {
    data: data as Record<string, unknown>,
    db: (db, key, prop) => text(access.value(db, key, prop)),
    prop: (key, prop, fallback, db = 'configuration') => text(access.value(db, key, prop)) ?? fallback,
    keys: (db) => access.keys(db),
    records: (db, type) => access.records(db, type),
    expand: (name, extra = {}) => scope.expand(name, extra),
  };
}
