import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sortBytes } from '@smeconf/db';
import type { TemplateQueue } from '@smeconf/templates';

/**
 * Every template path the trees define: a directory holding fragment files
 * is a template (its sub-directories are its sub-templates), a plain file
 * outside one is a single-file template; plus every templates2expand marker
 * of the event directories.
 */
export function discoverTargets(queue: TemplateQueue, eventDirs: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const dir of queue.templateDirs) walkTemplates(dir, dir, targets);
  for (const dir of eventDirs) {
    for (const event of safeList(dir)) walkMarkers(join(dir, event, 'templates2expand'), join(dir, event, 'templates2expand'), targets);
  }
  return sortBytes(targets);
}

function walkTemplates(layer: string, dir: string, into: Set<string>): void {
  const entries = safeList(dir);
  const files = entries.filter((name) => statSync(join(dir, name), { throwIfNoEntry: false })?.isFile());
  if (files.length > 0 && dir !== layer) {
    into.add(`/${relative(layer, dir)}`);
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) walkTemplates(layer, path, into);
    else if (stat?.isFile() && dir !== layer && name !== 'README.md') into.add(`/${relative(layer, path)}`);
  }
}

function walkMarkers(base: string, dir: string, into: Set<string>): void {
  for (const name of safeList(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) walkMarkers(base, path, into);
    else if (stat?.isFile()) into.add(`/${relative(base, path)}`);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
