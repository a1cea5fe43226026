import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareBytes } from '@smeconf/db';
import type { TemplateQueue } from './queue.ts';
import { templateSources } from './queue.ts';
import { BACKUP, fragmentOrder, resolveFragments } from './resolve.ts';
import type { ResolvedTemplate } from './resolve.ts';

/** One fragment of a template as expansion takes it, and where it comes from. */
export interface ListedFragment {
  readonly name: string;
  readonly path: string;
  /** The queue directory it comes from: an entry of templateDirs (or of defaultDirs, for the banner). */
  readonly dir: string;
  /** Same-named files of lower priority that it hides, highest first. */
  readonly replaces: readonly string[];
  /** An empty file: it contributes nothing and hides what it replaces (an empty template-begin: no banner). */
  readonly empty: boolean;
}

export interface TemplateListing {
  readonly templatePath: string;
  /** In expansion order; empty files at the place their name sorts to. */
  readonly fragments: readonly ListedFragment[];
  /** The sub-template directories (VirtualHosts/…), each listed the same way, in byte order. */
  readonly subTemplates: readonly TemplateListing[];
}

/**
 * The fragment queue of a template path as resolveFragments builds it, with
 * the origin of each fragment and what it overrides, and its sub-templates.
 * Returns undefined when no fragment exists.
 */
export function listTemplate(queue: TemplateQueue, templatePath: string, warn: (message: string) => void): TemplateListing | undefined {
  const resolved = resolveFragments(queue, templatePath, warn);
  return resolved === undefined ? undefined : listResolved(queue, resolved);
}

/** A resolved template and, from its `subs` (resolved with it, depth-bounded), its sub-templates. */
function listResolved(queue: TemplateQueue, resolved: ResolvedTemplate): TemplateListing {
  const { templatePath } = resolved;
  const sources = templateSources(queue, templatePath);
  const queueDir = (source: string) => queue.templateDirs[sources.indexOf(source)] ?? source;
  const fragments = resolved.dirs.length === 0 ? singleFile(resolved, queueDir) : fromDirectories(resolved, queue, queueDir);
  const subs = resolved.dirs.length === 0 ? [] : [...(resolved.subs ?? [])].sort(([a], [b]) => compareBytes(a, b));
  return { templatePath, fragments, subTemplates: subs.map(([, sub]) => listResolved(queue, sub)) };
}

/** A single-file template: the file is its own source (it replaces every directory below it). */
function singleFile(resolved: ResolvedTemplate, queueDir: (source: string) => string): ListedFragment[] {
  return resolved.fragments.map((f) => ({ name: f.name, path: f.path, dir: queueDir(f.path), replaces: [], empty: false }));
}

function fromDirectories(resolved: ResolvedTemplate, queue: TemplateQueue, queueDir: (source: string) => string): ListedFragment[] {
  const byName = new Map<string, { path: string; dir: string }[]>();
  for (const source of resolved.dirs) {
    for (const name of readdirSync(source)) {
      const path = join(source, name);
      if (BACKUP.test(name) || !statSync(path).isFile()) continue;
      byName.set(name, [...(byName.get(name) ?? []), { path, dir: queueDir(source) }]);
    }
  }
  const listed: ListedFragment[] = [...byName].map(([name, [winner, ...rest]]) => ({
    name,
    path: winner!.path,
    dir: winner!.dir,
    replaces: rest.map((r) => r.path),
    empty: statSync(winner!.path).size === 0,
  }));
  const banner = resolved.fragments.find((f) => f.name === 'template-begin' && !byName.has('template-begin'));
  if (banner !== undefined) {
    const dir = queue.defaultDirs.find((d) => banner.path === join(d, 'template-begin')) ?? banner.path;
    listed.push({ name: banner.name, path: banner.path, dir, replaces: [], empty: false });
  }
  return listed.sort(fragmentOrder);
}
