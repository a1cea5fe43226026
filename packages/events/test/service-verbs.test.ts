import assert from 'node:assert/strict';
import { makeRecord } from '@smeconf/db';
import { ManagerRegistry, serviceVerbs } from '../src/index.ts';

const enabled = makeRecord('service', [['status', 'enabled']]);
const disabled = makeRecord('service', [['status', 'disabled']]);

describe("SME's service verb rules", () => {
  it('a disabled service is only stopped', () => {
    assert.deepEqual(serviceVerbs(['restart'], disabled), ['stop']);
    assert.deepEqual(serviceVerbs(['sigusr1'], makeRecord('service')), ['stop']);
  });

  it('an enabled service is started first unless a verb starts or stops it', () => {
    assert.deepEqual(serviceVerbs(['sigusr1'], enabled), ['start', 'sigusr1']);
    assert.deepEqual(serviceVerbs(['restart'], enabled), ['restart']);
    assert.deepEqual(serviceVerbs(['reload'], enabled), ['reload']);
    assert.deepEqual(serviceVerbs(['stop'], enabled), ['stop']);
  });
});

describe('service managers: the commands they would run', () => {
  const registry = new ManagerRegistry('systemd', { runDir: '/nonexistent/run', logDir: '/nonexistent/log', env: {} });
  const as = (manager: string) => makeRecord('service', [['status', 'enabled'], ['ServiceManager', manager]]);

  it('systemd maps SME verbs as SME does', () => {
    const systemd = registry.for(enabled);
    assert.equal(systemd.describe('httpd', 'restart', enabled), 'systemctl restart httpd.service');
    assert.equal(systemd.describe('httpd', 'graceful', enabled), 'systemctl reload-or-restart httpd.service');
    assert.equal(systemd.describe('httpd', 'sigterm', enabled), 'systemctl restart httpd.service');
    assert.equal(systemd.describe('httpd', 'sigint', enabled), 'systemctl kill --signal=SIGINT httpd.service');
  });

  it('SysV, runit and the record-driven command manager', () => {
    assert.equal(registry.for(as('sysv')).describe('httpd', 'graceful', as('sysv')), 'service httpd reload');
    assert.equal(registry.for(as('runit')).describe('httpd', 'sigusr1', as('runit')), 'sv 1 httpd');
    const command = makeRecord('service', [['ServiceManager', 'command'], ['reloadCommand', '["kill","-HUP","42"]']]);
    assert.equal(registry.for(command).describe('x', 'graceful', command), '["kill","-HUP","42"]');
  });

  it('refuses an unknown manager and a command that is not a JSON argv', async () => {
    assert.throws(() => registry.for(as('upstart')), { code: 'E_SVC_CONTROL' });
    const shellLine = makeRecord('service', [['ServiceManager', 'command'], ['stopCommand', 'kill $(cat pid)']]);
    await assert.rejects(registry.for(shellLine).control('x', 'stop', shellLine), { code: 'E_SVC_CONTROL', message: /must be a JSON array of strings/ });
  });
});
