import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/**
 * A path a record holds (modSSL crt, letsencrypt CABundle: absolute, as
 * Apache and dehydrated read it, the root already in it), kept only if its
 * real path is inside the real root: a `..` or a symlink never leads a
 * check out of the root. Undefined, with why, otherwise (or when missing).
 */
export function pathInsideRoot(root: string, path: string): { readonly path: string } | { readonly why: string } {
  if (!isAbsolute(path) || path.includes('\0')) return { why: `${JSON.stringify(path)} is not an absolute path` };
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    return { why: `${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  const rel = relative(realpathSync(root), real);
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return { why: `${path} leads outside the root ${root} (to ${real})` };
  return { path: real };
}
