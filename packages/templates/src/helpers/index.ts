import type Handlebars from 'handlebars';
import { dbHelper } from './db.ts';
import { expandHelper } from './expand.ts';
import { keysHelper } from './keys.ts';
import { andHelper, eqHelper, inHelper, neHelper, notHelper, orHelper } from './logic.ts';
import { propHelper } from './prop.ts';
import { apacheQuoteHelper, rawHelper, shellQuoteHelper } from './quoting.ts';
import { recordsHelper } from './records.ts';

export const HELPERS = {
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
} as const;

/** Registers every smeconf helper; an error a helper throws carries the call's location. */
export function registerHelpers(env: typeof Handlebars): void {
  for (const [name, helper] of Object.entries(HELPERS)) {
    env.registerHelper(name, (...args: unknown[]) => {
      try {
        return helper(...args);
      } catch (error) {
        const { loc } = args[args.length - 1] as { loc?: unknown };
        if (error instanceof Error && !('loc' in error) && loc !== undefined) Object.assign(error, { loc });
        throw error;
      }
    });
  }
}

export type { RenderScope } from './scope.ts';
