import type { HelperOptions } from 'handlebars';
import { scopeOf } from './scope.ts';
import { asText } from './text.ts';

/**
 * `{{#each (records "domains" type="domain")}}{{key}} {{letsencryptSSLcert}}{{/each}}`:
 * every record of a database (of one type when `type=` is given), in key order.
 */
export function recordsHelper(params: unknown[], options: HelperOptions): unknown {
  const [db] = params;
  if (db === undefined) throw new Error('records needs a database: {{#each (records "domains")}}');
  const type: unknown = (options.hash as Record<string, unknown>)['type'];
  return scopeOf(options).access.records(asText(db), type === undefined ? undefined : asText(type));
}
