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

/** Handlebars passes its options object last; the arguments before it are the helper's. */
export function splitArgs(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}
