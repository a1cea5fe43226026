import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { discoverTargets } from '../src/targets.ts';

describe('discoverTargets', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir('smeconf-watch-')));
  afterEach(() => dir.remove());

  const file = (path: string) => {
    const full = join(dir.path, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, 'x\n');
  };
  const queue = (...layers: string[]) => ({
    templateDirs: layers.map((layer) => join(dir.path, layer)),
    metadataDirs: [join(dir.path, 'templates.metadata')],
    defaultDirs: [join(dir.path, 'templates-default')],
  });

  it('a directory of fragments is one target (its sub-directories are sub-templates)', () => {
    file('templates/etc/motd/10base');
    file('templates/etc/httpd/conf/httpd.conf/10base');
    file('templates/etc/httpd/conf/httpd.conf/VirtualHosts/20odoo');
    assert.deepEqual(discoverTargets(queue('templates'), []), ['/etc/httpd/conf/httpd.conf', '/etc/motd']);
  });

  it('every layer counts once, in byte order; a missing layer is empty', () => {
    file('templates/etc/motd/10base');
    file('templates-custom/etc/motd/20local');
    file('templates-custom/etc/Zebra/10z');
    assert.deepEqual(discoverTargets(queue('templates-custom', 'missing', 'templates'), []), ['/etc/Zebra', '/etc/motd']);
  });

  it('a file at the top of a layer (its README.md) is not a target', () => {
    file('templates/README.md');
    file('templates/etc/motd/10base');
    assert.deepEqual(discoverTargets(queue('templates'), []), ['/etc/motd']);
  });

  it('a plain file beside no fragment is a single-file template, not a fragment of its directory', () => {
    file('templates-custom/etc/issue');
    file('templates-custom/etc/README.md');
    file('templates/etc/motd/10base');
    assert.deepEqual(discoverTargets(queue('templates-custom', 'templates'), []), ['/etc/issue', '/etc/motd']);
  });

  it("adds every templates2expand marker of the events' directories", () => {
    file('events/console-save/templates2expand/etc/hosts');
    file('events/console-save/templates2expand/etc/dehydrated/domains.txt');
    file('events/console-save/S10action');
    file('custom-events/domain-create/templates2expand/etc/hosts');
    const events = [join(dir.path, 'custom-events'), join(dir.path, 'events'), join(dir.path, 'no-such-dir')];
    assert.deepEqual(discoverTargets(queue('templates'), events), ['/etc/dehydrated/domains.txt', '/etc/hosts']);
  });
});
