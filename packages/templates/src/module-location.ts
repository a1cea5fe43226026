import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where a JavaScript module (fragment or event handler) failed; line and column when known. */
export interface ModuleErrorLocation {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/**
 * Where an error of the JavaScript module at `path` happened, without a
 * stack: a syntax error as `file:line:col` (Node decorates some with the
 * place; an ES module's, at import, carries none, so `node --check` finds
 * it), any other error at the module's innermost frame in its stack.
 */
export function locateModuleError(error: unknown, path: string): ModuleErrorLocation {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  if (!(error instanceof SyntaxError)) {
    const found = moduleLocation(error, path);
    return found === undefined ? { path, message } : { path, line: found[0], column: found[1], message };
  }
  const text = `syntax error: ${message}`;
  const found = arrowLocation(error.stack ?? '') ?? moduleLocation(error, path) ?? checkSyntax(path);
  if (Array.isArray(found)) return { path, line: found[0], column: found[1], message: text };
  if (found !== undefined) return { ...found, message: text };
  return { path, message: `${text} (in a module it imports)` };
}

/** `path:line:col` of the innermost frame of `path` in the error's stack (named by path or by file URL, with any ?query). */
export function moduleLocation(error: unknown, path: string): [number, number] | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const where = `(?:${escape(path)}|${escape(pathToFileURL(path).href)}(?:\\?[^:\\s]*)?)`;
  const match = new RegExp(`${where}:(\\d+):(\\d+)`).exec(stack);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Node's "arrow" for a syntax error: `FILE:LINE`, the source line, then
 * spaces (tabs kept) up to `^` under the place. FILE is a path or a file URL.
 */
export function arrowLocation(text: string): { path: string; line: number; column: number } | undefined {
  const match = /^(.+):(\d+)\n.*\n([ \t]*)\^/.exec(text);
  if (match === null) return undefined;
  const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!.replace(/\?.*$/, '')) : match[1]!;
  return { path: file, line: Number(match[2]), column: match[3]!.length + 1 };
}

/** The place of the first syntax error of a file, from `node --check` (undefined when it parses). */
function checkSyntax(path: string): { path: string; line: number; column: number } | undefined {
  const result = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? undefined : arrowLocation(result.stderr ?? '');
}
