import { relative, sep } from 'node:path';
import type { ChangeEntry } from '@smeconf/db';
import { readCovers } from '@smeconf/templates';
import type { Read, TemplateQueue } from '@smeconf/templates';

/** The targets a changed file of a fragment or metadata layer builds (sub-templates included). */
export function targetsOfFile(path: string, queue: TemplateQueue, targets: readonly string[]): string[] {
  const layers = [...queue.templateDirs, ...queue.metadataDirs, ...queue.defaultDirs];
  const affected = new Set<string>();
  for (const layer of layers) {
    const rel = relative(layer, path);
    if (rel.startsWith('..') || rel === '') continue;
    if (queue.defaultDirs.includes(layer)) return [...targets]; // the default banner: every target may use it
    const templatePath = `/${rel.split(sep).join('/')}`;
    for (const target of targets) {
      if (templatePath === target || templatePath.startsWith(`${target}/`) || target.startsWith(`${templatePath}/`)) affected.add(target);
    }
  }
  return [...affected];
}

/** The targets whose recorded reads cover one of these changes. */
export function targetsOfChanges(changes: readonly ChangeEntry[], reads: ReadonlyMap<string, readonly Read[]>): string[] {
  const affected: string[] = [];
  for (const [target, targetReads] of reads) {
    const hit = changes.some((change) => targetReads.some((read) => readCovers(read, change.db, change.key, change.prop ?? undefined)));
    if (hit) affected.push(target);
  }
  return affected;
}
