import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { FragmentModule } from './fragment-module.ts';
import { FragmentLoadError } from './locate.ts';
import { locateModuleError } from './module-location.ts';

/**
 * Imports a JavaScript fragment's default export. A fragment that cannot be
 * loaded (a syntax error, a throw at top level, no default function)
 * becomes a stand-in that throws its located problem when rendered, so that
 * it is reported like any failing fragment, with every other one.
 */
export async function importFragment(path: string): Promise<FragmentModule> {
  let loaded: { default?: unknown };
  try {
    // the mtime in the URL makes a process re-import a fragment that changed
    loaded = (await import(`${pathToFileURL(path).href}?mtime=${statSync(path).mtimeMs}`)) as { default?: unknown };
  } catch (error) {
    return failing(new FragmentLoadError(locateModuleError(error, path)));
  }
  if (typeof loaded.default !== 'function') {
    return failing(new FragmentLoadError({ path, line: 1, column: 1, message: 'a JavaScript fragment must export a default function' }));
  }
  return loaded.default as FragmentModule;
}

function failing(error: FragmentLoadError): FragmentModule {
  return () => {
    throw error;
  };
}
