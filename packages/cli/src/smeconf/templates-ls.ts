import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError, assertConfined, listTemplate, readMetadata } from '@smeconf/templates';
import type { ListedFragment, TemplateListing, TemplateQueue } from '@smeconf/templates';
import type { SmeconfCommand } from './command.ts';
import { layoutOf } from './command-layout.ts';

/** Names for the directories of the default queue: where a fragment comes from. */
function originLabels(queue: TemplateQueue): (path: string) => string {
  const [rootCustom, rootTemplates, repoCustom, repoTemplates] = queue.templateDirs;
  const dirs: [string | undefined, string][] = [
    [rootCustom, 'root:custom'], [rootTemplates, 'root:templates'], [repoCustom, 'repo:custom'], [repoTemplates, 'repo:templates'],
    [queue.defaultDirs[0], 'root:default'], [queue.defaultDirs[1], 'repo:default'],
    [queue.metadataDirs[0], 'root:metadata'], [queue.metadataDirs[1], 'repo:metadata'],
  ];
  return (path) => dirs.find(([dir]) => dir !== undefined && (path === dir || path.startsWith(`${dir}/`)))?.[1] ?? path;
}

interface Row {
  readonly name: string;
  readonly origin: string;
  readonly path: string;
  readonly note: string;
}

function note(fragment: ListedFragment, origin: (path: string) => string): string {
  const hidden = fragment.replaces.map(origin).join(', ');
  if (fragment.empty) return fragment.name === 'template-begin' && hidden === '' ? 'empty: no banner' : hidden === '' ? 'empty: nothing' : `empty: hides ${hidden}`;
  return hidden === '' ? '' : `replaces ${hidden}`;
}

function rows(listing: TemplateListing, origin: (path: string) => string, metadata?: string): [string, Row[]][] {
  const own: Row[] = metadata === undefined ? [] : [{ name: 'metadata', origin: origin(metadata), path: metadata, note: '' }];
  for (const f of listing.fragments) own.push({ name: f.name, origin: origin(f.path), path: f.path, note: note(f, origin) });
  return [[listing.templatePath, own], ...listing.subTemplates.flatMap((sub) => rows(sub, origin))];
}

function json(listing: TemplateListing, origin: (path: string) => string): object {
  return {
    path: listing.templatePath,
    fragments: listing.fragments.map((f) => ({ name: f.name, origin: origin(f.path), path: f.path, replaces: f.replaces.map((path) => ({ origin: origin(path), path })), empty: f.empty })),
    subTemplates: listing.subTemplates.map((sub) => json(sub, origin)),
  };
}

/** `smeconf templates ls PATH [--json]`: the fragment queue of PATH, each fragment's file, sub-templates too. */
export const TEMPLATES_LS: SmeconfCommand = {
  command: 'templates <action> <path>',
  describe: 'templates ls PATH: the fragments PATH is built from, in order, with the file each comes from (sub-templates too)',
  builder: (y) =>
    y
      .positional('action', { choices: ['ls'], describe: 'ls: list the resolved fragment queue' })
      .positional('path', { type: 'string', describe: 'a template path, e.g. /etc/httpd/conf/httpd.conf' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object: fragments and subTemplates' }),
  task: (args, context) => () => {
    const layout = layoutOf(args, context);
    const queue = layout.queue;
    const path = String(args['path']);
    assertConfined(path, 'template path');
    const warn = (line: string) => context.io.err(`smeconf: ${line}\n`);
    const metadata = queue.metadataDirs.map((dir) => join(dir, path)).find((file) => existsSync(file));
    const source = readMetadata(queue.metadataDirs, path, warn).templatePath ?? path;
    const listing = listTemplate(queue, source, warn);
    if (listing === undefined) throw new TemplateError('E_TPL_NO_FRAGMENTS', `no templates were found for ${source}`);
    const origin = originLabels(queue);
    if (args['json'] === true) {
      const head = { path, ...(metadata !== undefined && { metadata: { origin: origin(metadata), path: metadata } }), ...(source !== path && { templatePath: source }) };
      context.io.out(`${JSON.stringify(Object.assign(head, json(listing, origin), { path }))}\n`); // path first, as asked
      return Promise.resolve(0);
    }
    const sections = rows(listing, origin, metadata);
    const all = sections.flatMap(([, r]) => r);
    const [nameWidth, originWidth] = [Math.max(...all.map((r) => r.name.length)), Math.max(...all.map((r) => r.origin.length))];
    let text = source === path ? '' : `${path}: fragments of ${source} (TEMPLATE_PATH)\n`;
    for (const [templatePath, own] of sections) {
      text += `${templatePath}\n`;
      for (const r of own) text += `  ${r.name.padEnd(nameWidth)}  ${r.origin.padEnd(originWidth)}  ${r.path}${r.note === '' ? '' : `  (${r.note})`}\n`;
    }
    context.io.out(text);
    return Promise.resolve(0);
  },
};
