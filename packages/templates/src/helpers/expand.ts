import type { HelperOptions } from 'handlebars';
import { scopeOf } from './scope.ts';
import { asText } from './text.ts';

/**
 * `{{expand "VirtualHosts" port=443 virtualHost=name}}`: the sub-template
 * directory VirtualHosts of the current template, rendered with the current
 * data plus the given values.
 */
export function expandHelper(params: unknown[], options: HelperOptions): string {
  if (params[0] === undefined) throw new Error('expand needs a sub-template name: {{expand "VirtualHosts" port=443}}');
  return scopeOf(options).expand(asText(params[0]), options.hash as Record<string, unknown>);
}
