import type { HelperOptions } from 'handlebars';
import { scopeOf } from './scope.ts';
import { asText } from './text.ts';

/** `{{#each (keys "hosts")}}{{this}} {{/each}}`: the keys of a database in byte order. */
export function keysHelper(params: unknown[], options: HelperOptions): unknown {
  if (params[0] === undefined) throw new Error('keys needs a database: {{#each (keys "hosts")}}');
  return scopeOf(options).access.keys(asText(params[0]));
}
