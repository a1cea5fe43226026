import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareBytes } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';

/** One step of an event, in run order. */
export type Handler =
  | { readonly kind: 'program'; readonly name: string; readonly path: string }
  | { readonly kind: 'module'; readonly name: string; readonly path: string }
  | { readonly kind: 'skip'; readonly name: string; readonly path: string }
  | { readonly kind: 'expand'; readonly name: 'S05generic_template_expand' }
  | { readonly kind: 'services'; readonly name: 'S90adjust-services' };

export interface ServiceEntry {
  readonly service: string;
  /** The verbs as listed: a link's target, or each line of a file. */
  readonly verbs: readonly string[];
}

export interface EventDefinition {
  readonly name: string;
  readonly handlers: readonly Handler[];
  /** templates2expand: absolute template paths, in byte order. */
  readonly templates: readonly string[];
  readonly services: readonly ServiceEntry[];
  /** The event directories that exist, highest priority first. */
  readonly dirs: readonly string[];
}

/**
 * An event is the union of `<dir>/<name>` over the queue of event
 * directories (SME's layout, docs/events.md): handler entries (a same-named entry of
 * an earlier directory wins), templates2expand markers and services2adjust
 * entries. The generic steps sort in as S05 and S90.
 */
export function loadEvent(dirs: readonly string[], name: string): EventDefinition {
  if (name === 'actions') throw new ToolError('E_EVT_INVALID_NAME', "'actions' is not a valid event name");
  if (name === '' || name.includes('/') || name.startsWith('.')) {
    throw new ToolError('E_EVT_INVALID_NAME', `${JSON.stringify(name)} is not a valid event name`);
  }
  const found = dirs.map((dir) => join(dir, name)).filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory());
  if (found.length === 0) throw new ToolError('E_EVT_NOT_FOUND', `no event ${name} (looked in ${dirs.join(', ')})`);
  const handlers = new Map<string, Handler>();
  const templates = new Set<string>();
  const services = new Map<string, ServiceEntry>();
  for (const dir of [...found].reverse()) {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === 'templates2expand') markers(path, '').forEach((t) => templates.add(t));
      else if (entry === 'services2adjust') serviceEntries(path).forEach((s) => services.set(s.service, s));
      else if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) handlers.set(entry, handlerFor(entry, path));
    }
  }
  if (templates.size > 0) handlers.set('S05generic_template_expand', { kind: 'expand', name: 'S05generic_template_expand' });
  if (services.size > 0) handlers.set('S90adjust-services', { kind: 'services', name: 'S90adjust-services' });
  return {
    name,
    handlers: [...handlers.values()].sort((a, b) => compareBytes(a.name, b.name)),
    templates: [...templates].sort(compareBytes),
    services: [...services.values()].sort((a, b) => compareBytes(a.service, b.service)),
    dirs: found,
  };
}

/** The event names of a queue (every directory but `actions`), in byte order. */
export function listEvents(dirs: readonly string[]): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    for (const entry of safeReaddir(dir)) {
      if (entry !== 'actions' && !entry.startsWith('.') && statSync(join(dir, entry), { throwIfNoEntry: false })?.isDirectory()) names.add(entry);
    }
  }
  return [...names].sort(compareBytes);
}

/** A `.js`/`.mjs` entry (or link to one) runs in-process; other executables as programs. */
function handlerFor(name: string, path: string): Handler {
  if (/\.m?js$/.test(name) || /\.m?js$/.test(safeRealpath(path))) return { kind: 'module', name, path };
  const stat = statSync(path, { throwIfNoEntry: false });
  const executable = stat !== undefined && (stat.mode & 0o111) !== 0;
  return { kind: executable ? 'program' : 'skip', name, path };
}

/** templates2expand/<path> marker files, recursively: their paths from the marker root. */
function markers(dir: string, prefix: string): string[] {
  const out: string[] = [];
  for (const entry of safeReaddir(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isDirectory()) out.push(...markers(path, `${prefix}/${entry}`));
    else if (stat.isFile()) out.push(`${prefix}/${entry}`);
  }
  return out;
}

/** services2adjust/<service>: a link's target is the verb; a file has one verb a line. */
function serviceEntries(dir: string): ServiceEntry[] {
  return safeReaddir(dir)
    .filter((service) => !service.startsWith('.'))
    .map((service) => {
      const path = join(dir, service);
      const text = lstatSync(path).isSymbolicLink() ? readlinkSync(path) : readFileSync(path, 'utf8');
      const verbs = text
        .split('\n')
        .map((line) => /[a-z][a-z-]*[12]?/.exec(line.trim())?.[0])
        .filter((verb): verb is string => verb !== undefined);
      return { service, verbs };
    });
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
