import { chmodSync, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ToolError } from '@smeconf/errors';
import { assertConfined } from '@smeconf/templates';

/**
 * Creates the SME directory `path` (absolute, e.g. `/var/run/apache2`) under
 * the root, as a package would ship it: each missing level with `mode`
 * whatever the umask, owned by the caller (root). An existing directory is
 * left as it is (its mode is the admin's). The path may come from a
 * database value, so it never leads out of the root: `..` or a NUL byte is
 * refused, and a symlink on the way must resolve inside the root's real
 * path (E_TPL_PATH); a file in the way is E_TPL_OUTPUT. Returns the
 * directories it created, top first.
 */
export function ensureDirectory(root: string, path: string, mode = 0o755): string[] {
  const shown = JSON.stringify(path);
  if (!path.startsWith('/')) throw new ToolError('E_TPL_PATH', `directory ${shown} must be an absolute path`);
  assertConfined(path, 'directory');
  const realRoot = realpathSync(root);
  const created: string[] = [];
  let dir = root;
  for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
    dir = join(dir, part);
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (stat === undefined) {
      try {
        mkdirSync(dir, { mode });
        chmodSync(dir, mode); // the umask narrowed it
      } catch (error) {
        throw new ToolError('E_TPL_OUTPUT', `cannot create directory ${dir}: ${(error as Error).message}`, { cause: error });
      }
      created.push(dir);
    } else if (stat.isSymbolicLink()) {
      const real = realpathSync(dir);
      const rel = relative(realRoot, real);
      if (rel === '..' || rel.startsWith('../')) throw new ToolError('E_TPL_PATH', `directory ${shown} resolves outside the root ${root}: ${dir} is ${real}`);
      if (!statSync(real).isDirectory()) throw new ToolError('E_TPL_OUTPUT', `cannot create directory ${join(root, path)}: ${dir} is not a directory`);
    } else if (!stat.isDirectory()) {
      throw new ToolError('E_TPL_OUTPUT', `cannot create directory ${join(root, path)}: ${dir} is not a directory`);
    }
  }
  return created;
}
