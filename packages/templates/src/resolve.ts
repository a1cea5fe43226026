import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareBytes } from '@smeconf/db';
import type { TemplateQueue } from './queue.ts';
import { templateSources } from './queue.ts';

/** One fragment file, read. */
export interface Fragment {
  readonly name: string;
  readonly path: string;
  readonly source: string;
}

export interface ResolvedTemplate {
  /** The template path it was resolved for (`/etc/hosts`, or `…/VirtualHosts` for a sub-template). */
  readonly templatePath: string;
  /** Fragments in expansion order: template-begin, names in byte order, template-end. */
  readonly fragments: readonly Fragment[];
  /** The fragment directories that exist, highest priority first (for sub-templates and watching). */
  readonly dirs: readonly string[];
  /**
   * Its sub-templates by name, resolved with it (every sub-directory of any
   * of its fragment directories, nested ones included), so that rendering
   * never reads the disk. Absent: none.
   */
  readonly subs?: ReadonlyMap<string, ResolvedTemplate>;
}

/** Sub-templates nested deeper than this are not resolved (a symlinked directory loop stops here). */
const MAX_SUB_DEPTH = 8;

/** Backup names SME skips with a message (not fragments). */
export const BACKUP = /(~|\.swp|\.orig|\.rpmsave|\.rpmnew|\.rpmorig)$/;

/**
 * SME's fragment set for a template path (docs/templates.md): walk the
 * queue from lowest to highest priority; a plain file replaces everything
 * collected so far (a single-file template), a directory adds or replaces
 * fragments by name; sub-directories, backup files and empty files are not
 * fragments. A directory set without template-begin gets the default banner.
 * Returns undefined when no fragment exists. Sub-templates are resolved
 * too (see ResolvedTemplate.subs), each once per `memo` (a run's).
 */
export function resolveFragments(
  queue: TemplateQueue,
  templatePath: string,
  onSkip: (message: string) => void,
  memo: Map<string, ResolvedTemplate | undefined> = new Map(),
  depth = 0,
): ResolvedTemplate | undefined {
  const byName = new Map<string, Fragment>();
  const dirs: string[] = [];
  const subNames = new Set<string>();
  let single: Fragment | undefined;
  for (const source of templateSources(queue, templatePath).reverse()) {
    const stat = statSync(source, { throwIfNoEntry: false });
    if (stat?.isFile()) {
      byName.clear();
      dirs.length = 0;
      single = { name: source.slice(source.lastIndexOf('/') + 1), path: source, source: readFileSync(source, 'utf8') };
    } else if (stat?.isDirectory()) {
      single = undefined;
      dirs.unshift(source);
      for (const name of readdirSync(source).sort(compareBytes)) {
        const path = join(source, name);
        const stat = statSync(path);
        if (stat.isDirectory()) subNames.add(name);
        if (!stat.isFile()) continue;
        if (BACKUP.test(name)) {
          onSkip(`Skipping ${path}`);
          continue;
        }
        byName.set(name, { name, path, source: readFileSync(path, 'utf8') });
      }
    }
  }
  const subs = depth < MAX_SUB_DEPTH ? resolveSubs(queue, templatePath, [...subNames].sort(compareBytes), onSkip, memo, depth) : new Map();
  if (single !== undefined) return { templatePath, fragments: single.source === '' ? [] : [single], dirs: [], subs };
  if (dirs.length === 0) return undefined;
  if (byName.size > 0 && !byName.has('template-begin')) {
    const banner = defaultBanner(queue);
    if (banner !== undefined) byName.set('template-begin', banner);
  }
  const fragments = [...byName.values()].filter((f) => f.source !== '').sort(fragmentOrder);
  return { templatePath, fragments, dirs, subs };
}

function resolveSubs(
  queue: TemplateQueue,
  templatePath: string,
  names: readonly string[],
  onSkip: (message: string) => void,
  memo: Map<string, ResolvedTemplate | undefined>,
  depth: number,
): Map<string, ResolvedTemplate> {
  const subs = new Map<string, ResolvedTemplate>();
  for (const name of names) {
    const path = join(templatePath, name);
    if (!memo.has(path)) memo.set(path, resolveFragments(queue, path, onSkip, memo, depth + 1));
    const sub = memo.get(path);
    if (sub !== undefined) subs.set(name, sub);
  }
  return subs;
}

/** Expansion order: template-begin, the other names in byte order, template-end. */
export function fragmentOrder(a: { readonly name: string }, b: { readonly name: string }): number {
  const rank = (f: { readonly name: string }) => (f.name === 'template-begin' ? 0 : f.name === 'template-end' ? 2 : 1);
  return rank(a) - rank(b) || compareBytes(a.name, b.name);
}

function defaultBanner(queue: TemplateQueue): Fragment | undefined {
  for (const dir of queue.defaultDirs) {
    const path = join(dir, 'template-begin');
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile()) return { name: 'template-begin', path, source: readFileSync(path, 'utf8') };
  }
  return undefined;
}
