import type { Backend } from '@smeconf/db';
import { resolveLayout } from '../layout.ts';
import type { Layout } from '../layout.ts';
import { openBackend } from '../open-db.ts';
import type { CommandContext } from './command.ts';

/** The Layout of a smeconf command: its --root, else the environment's. */
export function layoutOf(args: Record<string, unknown>, context: CommandContext): Layout {
  return resolveLayout({ env: context.env, root: args['root'] as string | undefined, stockDir: context.stockDir });
}

/** Runs `fn` on the layout's backend, closed afterwards whatever happens; backend warnings go to `warn`. */
export async function withBackend<T>(layout: Layout, warn: (line: string) => void, fn: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await openBackend(layout, warn);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
