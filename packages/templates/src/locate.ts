import { isToolError } from '@smeconf/errors';
import { moduleLocation } from './module-location.ts';
import type { ModuleErrorLocation } from './module-location.ts';
import type { Fragment } from './resolve.ts';
import type { FragmentProblem } from './template-error.ts';
import { TemplateError } from './template-error.ts';

interface Located {
  lineNumber?: number;
  column?: number;
  loc?: { start: { line: number; column: number } };
}

/** What a JavaScript fragment that could not be loaded throws when rendered: the place is already known. */
export class FragmentLoadError extends Error {
  readonly location: ModuleErrorLocation;

  constructor(location: ModuleErrorLocation) {
    super(location.message);
    this.location = location;
  }
}

/**
 * Turns whatever a fragment threw into `path:line:col: message` parts; a
 * ToolError of its own code (E_TPL_UNSAFE_VALUE, …) ends with `[E_CODE]`.
 */
export function locateProblem(error: unknown, fragment: Fragment): FragmentProblem {
  if (error instanceof FragmentLoadError) {
    const { path, line = 1, column = 1, message } = error.location;
    return { path, line, column, message };
  }
  const e = error as Error & Located;
  const message = isToolError(error) && error.code !== 'E_TPL_RENDER' ? `${error.message} [${error.code}]` : e instanceof Error ? e.message : String(error);
  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n(.*)$/s.exec(message);
  if (parse !== null) {
    const line = Number(parse[1]);
    const past = parse[2]!.slice(0, parse[3]!.length);
    return { path: fragment.path, line, column: parseColumn(fragment.source, line, past), message: `parse error: ${parse[4]!.replace(/\n/g, ' ')}` };
  }
  if (typeof e.lineNumber === 'number') {
    return { path: fragment.path, line: e.lineNumber, column: (e.column ?? 0) + 1, message: plainHandlebarsMessage(message) };
  }
  if (e.loc !== undefined) {
    return { path: fragment.path, line: e.loc.start.line, column: e.loc.start.column + 1, message };
  }
  const [line, column] = error instanceof TemplateError ? guessUnsafeLocation(error, fragment.source) : (moduleLocation(e, fragment.path) ?? [1, 1]);
  return { path: fragment.path, line, column, message };
}

/**
 * The column of a parse error. Handlebars gives only the line and the text
 * before the error (its last 20 characters, newlines removed, after `...`
 * when cut); the column is where that text ends in the line: after its
 * first occurrence there when it was cut, else after the longest start of
 * the line that ends it.
 */
function parseColumn(source: string, line: number, shown: string): number {
  const text = source.split('\n')[line - 1] ?? '';
  const past = shown.replace(/^\.\.\./, '');
  const inside = shown.startsWith('...') ? text.indexOf(past) : -1;
  if (inside !== -1) return inside + past.length + 1;
  let length = Math.min(text.length, past.length);
  while (length > 0 && !past.endsWith(text.slice(0, length))) length--;
  return length + 1;
}

/** Handlebars' messages in our words, without their ` - line:col` suffix. */
function plainHandlebarsMessage(message: string): string {
  const text = message.replace(/ - \d+:\d+$/, '');
  const unknownHelper = /^You specified knownHelpersOnly, but used the unknown helper (.+)$/.exec(text);
  if (unknownHelper) return `unknown helper ${unknownHelper[1]}`;
  const missing = /^"(.+)" not defined in .*$/s.exec(text);
  if (missing) return `${missing[1]} is not defined (for an optional value use {{prop KEY PROP DEFAULT}})`;
  return text;
}

/** The first place the fragment names the offending prop (a printed value carries no location). */
function guessUnsafeLocation(error: TemplateError, source: string): [number, number] {
  const { key, prop } = error.details as { key?: string; prop?: string | null };
  for (const needle of [prop && `.${prop}`, prop && `"${prop}"`, key].filter((n): n is string => Boolean(n))) {
    const at = source.indexOf(needle);
    if (at !== -1) return lineColumn(source, at);
  }
  return [1, 1];
}

/** The 1-based line and column of an offset in a text. */
export function lineColumn(source: string, offset: number): [number, number] {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return [line, offset - before.lastIndexOf('\n')];
}
