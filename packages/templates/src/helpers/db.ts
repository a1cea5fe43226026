import type { HelperOptions } from 'handlebars';
import { scopeOf } from './scope.ts';
import { asText } from './text.ts';

/**
 * `{{db "hosts" "www.example.com"}}` → the record's type;
 * `{{db "hosts" "www.example.com" "HostType"}}` → a prop; empty when absent.
 */
export function dbHelper(params: unknown[], options: HelperOptions): unknown {
  const [db, key, prop] = params.map((p) => (p === undefined ? undefined : asText(p)));
  if (db === undefined || key === undefined) throw new Error('db needs a database and a key: {{db "hosts" "www.example.com" ["HostType"]}}');
  return scopeOf(options).access.value(db, key, prop);
}
