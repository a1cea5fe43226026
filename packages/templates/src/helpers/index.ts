import type Handlebars from 'handlebars';
import type { HelperOptions } from 'handlebars';
import { dbHelper } from './db.ts';
import { expandHelper } from './expand.ts';
import { keysHelper } from './keys.ts';
import { andHelper, eqHelper, inHelper, neHelper, notHelper, orHelper } from './logic.ts';
import { propHelper } from './prop.ts';
import { apacheQuoteHelper, rawHelper, shellQuoteHelper } from './quoting.ts';
import { recordsHelper } from './records.ts';
import type { Helper } from './scope.ts';

export const HELPERS: Readonly<Record<string, Helper>> = {
  db: dbHelper,
  prop: propHelper,
  records: recordsHelper,
  keys: keysHelper,
  eq: eqHelper,
  ne: neHelper,
  and: andHelper,
  or: orHelper,
  not: notHelper,
  in: inHelper,
  shellQuote: shellQuoteHelper,
  apacheQuote: apacheQuoteHelper,
  raw: rawHelper,
  expand: expandHelper,
};

/**
 * Registers every smeconf helper: Handlebars passes the call's arguments
 * then its options object; the helper gets them apart. An error a helper
 * throws carries the call's location.
 */
export function registerHelpers(env: typeof Handlebars): void {
  for (const [name, helper] of Object.entries(HELPERS)) {
    env.registerHelper(name, (...params: unknown[]) => {
      const options = params.pop() as HelperOptions;
      try {
        return helper(params, options);
      } catch (error) {
        const { loc } = options as { loc?: unknown };
        if (error instanceof Error && !('loc' in error) && loc !== undefined) Object.assign(error, { loc });
        throw error;
      }
    });
  }
}

export type { Helper, RenderScope } from './scope.ts';
