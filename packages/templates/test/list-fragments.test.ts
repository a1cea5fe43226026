import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { listTemplate } from '../src/index.ts';
import type { TemplateListing, TemplateQueue } from '../src/index.ts';

describe('listTemplate', () => {
  let dir: TempDir;
  let queue: TemplateQueue;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir.path, path)), { recursive: true });
    writeFileSync(join(dir.path, path), text);
  };
  const paths = (listing: TemplateListing): string[] => [listing.templatePath, ...listing.subTemplates.flatMap(paths)];
  beforeEach(() => {
    dir = makeTempDir();
    queue = { templateDirs: [join(dir.path, 'custom'), join(dir.path, 'templates')], metadataDirs: [], defaultDirs: [] };
    write('templates/etc/x/template-begin', '');
    write('templates/etc/x/10', 'x\n');
    write('templates/etc/x/Sub/10', 'sub\n');
    write('templates/etc/x/Sub/Deeper/10', 'deeper\n');
    write('templates/etc/x/Sub/Deeper/10~', 'a backup\n');
    write('custom/etc/x/Sub/20', 'custom sub\n');
  });
  afterEach(() => dir.remove());

  it('lists nested sub-templates, each resolved once: a backup file is reported once', () => {
    const warnings: string[] = [];
    const listing = listTemplate(queue, '/etc/x', (line) => warnings.push(line))!;
    assert.deepEqual(paths(listing), ['/etc/x', '/etc/x/Sub', '/etc/x/Sub/Deeper']);
    assert.deepEqual(listing.subTemplates[0]!.fragments.map((f) => f.name), ['10', '20']);
    assert.deepEqual(warnings, [`Skipping ${join(dir.path, 'templates/etc/x/Sub/Deeper/10~')}`]);
  });

  it('a symlinked directory loop stops at the sub-template depth limit instead of failing', () => {
    symlinkSync('..', join(dir.path, 'templates/etc/x/Sub/loop'));
    const listing = listTemplate(queue, '/etc/x', () => {})!;
    const listed = paths(listing);
    assert.ok(listed.includes('/etc/x/Sub/loop/Sub'), listed.join('\n'));
    assert.ok(listed.length < 100, `${listed.length} listings`);
  });
});
