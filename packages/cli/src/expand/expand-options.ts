import { backendLoader, readsRecord } from '@smeconf/templates';
import type { ExpandTargetsOptions } from '@smeconf/templates';
import type { Backend } from '@smeconf/db';
import { commandEnv } from '../command-env.ts';
import type { Env } from '../io.ts';
import { templateData } from '../layout.ts';
import type { Layout } from '../layout.ts';

/** expandTargets' options for a root and its open backend, as expand-template uses them (mode and output on top). */
export function expandOptionsFor(layout: Layout, backend: Backend, env: Env, stockDir: string, warn: (line: string) => void): ExpandTargetsOptions {
  return {
    root: layout.root,
    queue: layout.queue,
    loadDb: backendLoader(backend),
    warn,
    extraData: templateData(layout, stockDir),
    compileCacheDir: layout.compileCacheDir,
    mode: 'write',
    checkEnv: commandEnv(layout, env, stockDir),
    ...readsRecord(backend),
  };
}
