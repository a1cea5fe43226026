import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sortBytes } from '@smeconf/db';
import type { TemplateQueue } from '@smeconf/templates';

/**
 * Every template path the trees define: a directory holding fragments is a
 * template (its sub-directories are its sub-templates); any other plain
 * file below the top of a layer is a single-file template (SME lets one
 * file stand for a whole template), except a README.md; plus every
 * templates2expand marker of the event directories.
 */
export function discoverTargets(queue: TemplateQueue, eventDirs: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const dir of queue.templateDirs) walkTemplates(dir, dir, targets);
  for (const dir of eventDirs) {
    for (const event of safeList(dir)) walkMarkers(join(dir, event, 'templates2expand'), join(dir, event, 'templates2expand'), targets);
  }
  return sortBytes(targets);
}

/**
 * Fragment names as SME's packages write them: an ordering number
 * (`10base`), template-begin/-end, or a JavaScript fragment. A directory
 * such as etc/ holding only `issue` or `hosts` holds single-file
 * templates, not fragments.
 */
const FRAGMENT_NAME = /^(\d|template-(begin|end)$)|\.m?js$/;

function walkTemplates(layer: string, dir: string, into: Set<string>): void {
  const entries = safeList(dir);
  const isFile = (name: string) => statSync(join(dir, name), { throwIfNoEntry: false })?.isFile() === true;
  if (dir !== layer && entries.some((name) => FRAGMENT_NAME.test(name) && isFile(name))) {
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
