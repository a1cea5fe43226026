import type { HelperOptions } from 'handlebars';
import type { DataAccess } from '../data-access.ts';

/** What helpers reach through Handlebars' private data as `@smeconf`. */
export interface RenderScope {
  readonly access: DataAccess;
  /** Renders a sub-template of the current template with extra data. */
  expand(name: string, extra: Record<string, unknown>): string;
}

export function scopeOf(options: HelperOptions): RenderScope {
  return (options.data as { smeconf: RenderScope }).smeconf;
}

/** A smeconf helper: the arguments of the call, and Handlebars' options object (registerHelpers splits them). */
export type Helper = (params: unknown[], options: HelperOptions) => unknown;
