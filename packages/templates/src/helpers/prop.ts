import type { HelperOptions } from 'handlebars';
import { scopeOf } from './scope.ts';
import { asText } from './text.ts';

/**
 * `{{prop "modSSL" "TCPPort" "443"}}` → a prop of a configuration record,
 * or the default (third argument) when the record or prop is absent;
 * `db="hosts"` reads another database.
 */
export function propHelper(params: unknown[], options: HelperOptions): unknown {
  const [key, prop, fallback] = params;
  if (key === undefined || prop === undefined) throw new Error('prop needs a key and a prop: {{prop "modSSL" "TCPPort" ["443"]}}');
  const db = asText((options.hash as Record<string, unknown>)['db'] ?? 'configuration');
  return scopeOf(options).access.value(db, asText(key), asText(prop)) ?? fallback;
}
