import { join } from 'node:path';

/**
 * Where fragments, metadata and the default banner are looked up, each list
 * highest priority first. SME's queue is templates-custom, templates; ours
 * adds the repository's own trees after the root's (docs/templates.md).
 */
export interface TemplateQueue {
  readonly templateDirs: readonly string[];
  readonly metadataDirs: readonly string[];
  /** Directories that may hold the default `template-begin` banner. */
  readonly defaultDirs: readonly string[];
}

export function defaultQueue(root: string, stockDir: string): TemplateQueue {
  const etc = join(root, 'etc/e-smith');
  return {
    templateDirs: [join(etc, 'templates-custom'), join(etc, 'templates'), join(stockDir, 'templates-custom'), join(stockDir, 'templates')],
    metadataDirs: [join(etc, 'templates.metadata'), join(stockDir, 'templates.metadata')],
    defaultDirs: [join(etc, 'templates-default'), join(stockDir, 'templates-default')],
  };
}

/** The fragment directories of a target path in a queue: `<dir>/<path>`. */
export function templateSources(queue: TemplateQueue, templatePath: string): string[] {
  return queue.templateDirs.map((dir) => join(dir, templatePath));
}
