import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assertConfined } from './paths.ts';
import { TemplateError } from './template-error.ts';

/** templates.metadata/P, parsed as data (SME's keys; docs/templates.md, docs/compatibility.md). */
export interface Metadata {
  readonly perms?: number;
  readonly uid?: string;
  readonly gid?: string;
  readonly outputFilename?: string;
  readonly templatePath?: string;
  readonly moreData?: Readonly<Record<string, unknown>>;
  readonly delete?: boolean;
  readonly filters?: readonly string[];
  /** A command (argv, JSON array) run on the staged file before it replaces the target; `{}` is its path. */
  readonly check?: readonly string[];
}

const KEYS = ['PERMS', 'UID', 'GID', 'OUTPUT_FILENAME', 'TEMPLATE_PATH', 'MORE_DATA', 'DELETE', 'FILTER', 'CHECK'] as const;
type Key = (typeof KEYS)[number];

/**
 * Reads the metadata of a template path: the first of `<dir>/<path>` in the
 * queue, a file of KEY=value lines or a directory of KEY files. Unknown keys
 * are reported through `warn`; malformed values are errors.
 */
export function readMetadata(dirs: readonly string[], templatePath: string, warn: (message: string) => void): Metadata {
  for (const dir of dirs) {
    const path = join(dir, templatePath);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    const entries = stat.isDirectory() ? readDirectoryForm(path) : readFileForm(path);
    return parseEntries(entries, path, warn);
  }
  return {};
}

function readFileForm(path: string): [string, string][] {
  const entries: [string, string][] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const eq = line.indexOf('=');
    if (eq === -1) throw new TemplateError('E_TPL_METADATA', `${path}: expected KEY=value, got ${JSON.stringify(line)}`);
    entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return entries;
}

function readDirectoryForm(path: string): [string, string][] {
  return readdirSync(path).map((name) => [name, readFileSync(join(path, name), 'utf8').replace(/\n$/, '').trim()]);
}

function parseEntries(entries: [string, string][], path: string, warn: (message: string) => void): Metadata {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (!(KEYS as readonly string[]).includes(key)) {
      warn(`${path}: unknown metadata key ${key} ignored`);
      continue;
    }
    parseKey(key as Key, value, path, out);
  }
  return out;
}

function parseKey(key: Key, raw: string, path: string, out: Record<string, unknown>): void {
  const bad = (why: string) => new TemplateError('E_TPL_METADATA', `${path}: ${key}: ${why}`);
  const value = key === 'MORE_DATA' || key === 'CHECK' ? raw : unquote(raw, bad); // those two are JSON
  switch (key) {
    case 'PERMS':
      if (!/^0?[0-7]{3,4}$/.test(value)) throw bad(`expected an octal mode such as 0644, got ${JSON.stringify(value)}`);
      out['perms'] = parseInt(value, 8);
      return;
    case 'UID':
    case 'GID':
      out[key === 'UID' ? 'uid' : 'gid'] = value;
      return;
    case 'OUTPUT_FILENAME':
    case 'TEMPLATE_PATH':
      assertConfined(value, `${path}: ${key}:`); // E_TPL_PATH: never outside the root or the queue
      out[key === 'OUTPUT_FILENAME' ? 'outputFilename' : 'templatePath'] = value;
      return;
    case 'MORE_DATA':
      out['moreData'] = parseJson(value, bad, (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a JSON object');
      return;
    case 'DELETE':
      out['delete'] = !['', '0', 'no', 'false'].includes(value.toLowerCase());
      return;
    case 'FILTER':
      out['filters'] = value.split(/[\s,]+/).filter(Boolean);
      return;
    case 'CHECK':
      out['check'] = parseJson(value, bad, (v) => Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string'), 'a JSON array of strings');
      return;
  }
}

const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t' };

/**
 * SME writes metadata values as Perl expressions: `"/etc/x.conf"` and
 * `'root'` mean the text inside (a `;` and a `# comment` may follow). In
 * single quotes only `\'` and `\\` are escapes; in double quotes `\X` is X
 * (`\n`, `\t`: newline, tab), and a `$name` or `@name` Perl would
 * interpolate is refused, never evaluated. Anything else is taken as is.
 */
function unquote(value: string, bad: (why: string) => Error): string {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  let text = '';
  for (let i = 1; i < value.length; i++) {
    const c = value[i]!;
    if (c === quote) {
      const rest = value.slice(i + 1);
      if (!/^\s*;?\s*(#.*)?$/.test(rest)) throw bad(`unexpected text after the closing quote: ${JSON.stringify(rest)}`);
      return text;
    }
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i]!;
      if (quote === "'") text += next === "'" || next === '\\' ? next : `\\${next}`;
      else text += DOUBLE_QUOTED_ESCAPES[next] ?? next;
      continue;
    }
    const name = quote === '"' && (c === '$' || c === '@') ? /^(?:\{?\w[\w:]*\}?)/.exec(value.slice(i + 1))?.[0] : undefined;
    if (name !== undefined) throw bad(`Perl would interpolate ${c}${name} in a double-quoted value; metadata is data: write \\${c} or use single quotes`);
    text += c;
  }
  throw bad(`unterminated ${quote} quote in ${JSON.stringify(value)}`);
}

function parseJson(value: string, bad: (why: string) => Error, valid: (v: unknown) => boolean, what: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw bad(`expected ${what}: ${(error as Error).message}`);
  }
  if (!valid(parsed)) throw bad(`expected ${what}`);
  return parsed;
}
