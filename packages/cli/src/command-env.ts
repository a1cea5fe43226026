import { join } from 'node:path';
import type { Env } from './io.ts';
import type { Layout } from './layout.ts';

/**
 * The environment of every command smeconf runs (event handlers, CHECK
 * commands, service commands), the same for expand-template, signal-event
 * and smeconf watch: the caller's, with SMECONF_ROOT, SMECONF_BACKEND and
 * our bins first on PATH, so that a `db …` or `expand-template …` inside
 * works in the same root.
 */
export function commandEnv(layout: Layout, env: Env, stockDir: string): NodeJS.ProcessEnv {
  return {
    ...env,
    SMECONF_ROOT: layout.root,
    SMECONF_BACKEND: layout.backend,
    PATH: `${join(stockDir, 'node_modules/.bin')}:${env['PATH'] ?? '/usr/bin:/bin'}`,
  };
}
