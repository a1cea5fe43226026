import assert from 'node:assert/strict';
import { resolveLayout } from '../src/layout.ts';

describe('resolveLayout', () => {
  const layout = resolveLayout({ env: {}, root: '/srv/sme', stockDir: '/opt/smeconf' });

  it('the template queue: the root\'s layers, then the stock trees', () => {
    assert.deepEqual(layout.queue, {
      templateDirs: ['/srv/sme/etc/e-smith/templates-custom', '/srv/sme/etc/e-smith/templates', '/opt/smeconf/templates-custom', '/opt/smeconf/templates'],
      metadataDirs: ['/srv/sme/etc/e-smith/templates.metadata', '/opt/smeconf/templates.metadata'],
      defaultDirs: ['/srv/sme/etc/e-smith/templates-default', '/opt/smeconf/templates-default'],
    });
  });

  it('the event directories, the event lock and log, the services\' run and log directories', () => {
    assert.deepEqual(layout.eventDirs, ['/srv/sme/etc/e-smith/events', '/opt/smeconf/events']);
    assert.equal(layout.eventLockPath, '/srv/sme/var/lock/smeconf/signal-event.lock');
    assert.equal(layout.eventLogPath, '/srv/sme/var/log/smeconf/events.log');
    assert.equal(layout.serviceRunDir, '/srv/sme/var/run/smeconf');
    assert.equal(layout.serviceLogDir, '/srv/sme/var/log/smeconf/services');
  });

  it('the sqlite addon where a checkout and an install have it: beside the stock trees, whatever the root', () => {
    assert.equal(layout.sqliteAddon, '/opt/smeconf/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  });

  it('the root `/` gives the SME paths themselves', () => {
    const sme = resolveLayout({ env: {}, stockDir: '/opt/smeconf' });
    assert.equal(sme.eventLockPath, '/var/lock/smeconf/signal-event.lock');
    assert.equal(sme.eventDirs[0], '/etc/e-smith/events');
  });
});
