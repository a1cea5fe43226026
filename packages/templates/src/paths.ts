import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { TemplateError } from './template-error.ts';

/**
 * Refuses a path that could leave the directory it is joined to: one with a
 * `..` segment (or a NUL byte). Template paths, TEMPLATE_PATH, sub-template
 * names and output paths all go through it, so that `<dir>/<path>` stays
 * inside `<dir>` whatever the path says.
 */
export function assertConfined(path: string, what: string): void {
  if (path.includes('\0')) throw new TemplateError('E_TPL_PATH', `${what} ${JSON.stringify(path)} must not contain a NUL byte`);
  if (path.split('/').includes('..')) throw new TemplateError('E_TPL_PATH', `${what} ${JSON.stringify(path)} must not contain ..`);
}

/**
 * The file an output path names under the root, refused (E_TPL_PATH) when it
 * would be outside: a `..` in the path, or a directory on the way that is a
 * symlink leading out (the real path of its deepest existing directory must
 * stay inside the real path of the root).
 */
export function confineOutput(root: string, path: string): string {
  assertConfined(path, 'output path');
  const output = join(root, path);
  let dir = dirname(output);
  while (!existsSync(dir) && dir !== root && dirname(dir) !== dir) dir = dirname(dir);
  if (!existsSync(dir) || !existsSync(root)) return output; // nothing exists to lead anywhere: the write fails later
  const realRoot = realpathSync(root);
  const realDir = realpathSync(dir);
  const rel = relative(realRoot, realDir);
  if (rel === '..' || rel.startsWith('../')) {
    throw new TemplateError('E_TPL_PATH', `output path ${JSON.stringify(path)} resolves outside the root ${root}: ${dir} is ${realDir}`);
  }
  return output;
}
