import assert from 'node:assert/strict';
import type { ChangeEntry } from '@smeconf/db';
import type { Read, TemplateQueue } from '@smeconf/templates';
import { targetsOfChanges, targetsOfFile } from '../src/affected.ts';

const queue: TemplateQueue = {
  templateDirs: ['/r/templates-custom', '/r/templates'],
  metadataDirs: ['/r/templates.metadata'],
  defaultDirs: ['/r/templates-default'],
};
const TARGETS = ['/etc/foo', '/etc/httpd/conf/httpd.conf', '/etc/motd'];

describe('targetsOfFile', () => {
  it('a fragment builds its own target, from any template layer', () => {
    assert.deepEqual(targetsOfFile('/r/templates/etc/motd/10base', queue, TARGETS), ['/etc/motd']);
    assert.deepEqual(targetsOfFile('/r/templates-custom/etc/motd/20local', queue, TARGETS), ['/etc/motd']);
  });

  it('a single-file template and its metadata file', () => {
    assert.deepEqual(targetsOfFile('/r/templates-custom/etc/foo', queue, TARGETS), ['/etc/foo']);
    assert.deepEqual(targetsOfFile('/r/templates.metadata/etc/foo', queue, TARGETS), ['/etc/foo']);
  });

  it('a sub-template fragment builds the target that includes it', () => {
    assert.deepEqual(targetsOfFile('/r/templates/etc/httpd/conf/httpd.conf/VirtualHosts/20odoo', queue, TARGETS), ['/etc/httpd/conf/httpd.conf']);
  });

  it('a shared prefix is not a parent: /etc/foobar is not /etc/foo', () => {
    assert.deepEqual(targetsOfFile('/r/templates/etc/foobar/10x', queue, TARGETS), []);
  });

  it('the default banner may be used by every target', () => {
    assert.deepEqual(targetsOfFile('/r/templates-default/template-begin', queue, TARGETS), TARGETS);
  });

  it('a file outside the layers, or a layer itself, builds nothing', () => {
    assert.deepEqual(targetsOfFile('/elsewhere/etc/motd/10base', queue, TARGETS), []);
    assert.deepEqual(targetsOfFile('/r/templates', queue, TARGETS), []);
    assert.deepEqual(targetsOfFile('/r/templates-customized/etc/motd/10x', queue, TARGETS), []);
  });
});

describe('targetsOfChanges', () => {
  const change = (db: string, key: string, prop: string | null): ChangeEntry => ({ revision: 1, time: 0, db, key, prop, old: null, new: 'x' });
  const reads = new Map<string, readonly Read[]>([
    ['/etc/whole-db', [{ db: 'hosts', key: null, prop: null }]],
    ['/etc/one-record', [{ db: 'configuration', key: 'sshd', prop: null }]],
    ['/etc/one-prop', [{ db: 'configuration', key: 'sshd', prop: 'TCPPort' }]],
    ['/etc/nothing', []],
  ]);

  it('a prop change reaches the reads of that prop, its record and its database', () => {
    assert.deepEqual(targetsOfChanges([change('configuration', 'sshd', 'TCPPort')], reads), ['/etc/one-record', '/etc/one-prop']);
    assert.deepEqual(targetsOfChanges([change('configuration', 'sshd', 'status')], reads), ['/etc/one-record']);
    assert.deepEqual(targetsOfChanges([change('hosts', 'www', 'HostType')], reads), ['/etc/whole-db']);
  });

  it('a type change or a delete (no prop) reaches every read of the record', () => {
    assert.deepEqual(targetsOfChanges([change('configuration', 'sshd', null)], reads), ['/etc/one-record', '/etc/one-prop']);
  });

  it('another database, another key, or no change reaches nothing', () => {
    assert.deepEqual(targetsOfChanges([change('accounts', 'sshd', 'TCPPort'), change('configuration', 'httpd', null)], reads), []);
    assert.deepEqual(targetsOfChanges([], reads), []);
  });
});
