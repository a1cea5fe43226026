import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run, write } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

// Issue #10 item 9: a service's record maps it to the system's unit or init
// script (`ServiceName`); the stock httpd-e-smith is Debian's apache2. The
// service programs here are stand-ins on PATH that only note their arguments.

const EV = 'etc/e-smith/events';

/** A root with the stock records, an event reloading httpd-e-smith, and fake systemctl/service/sv on PATH. */
function scratchWithFakes(manager: string): Scratch {
  const base = makeScratch('sqlite');
  const fakes = join(base.path, 'fake-bin');
  const scratch: Scratch = { ...base, env: { ...base.env, SMECONF_SERVICE_MANAGER: manager, PATH: `${fakes}:${base.env['PATH'] ?? '/usr/bin:/bin'}` } };
  for (const program of ['systemctl', 'service', 'sv']) {
    write(scratch, `fake-bin/${program}`, `#!/bin/sh\necho "${program} $*" >> "$SMECONF_ROOT/journal"\n`, 0o755);
  }
  assert.equal(run(scratch, 'smeconf', ['initialize-default-databases']).status, 0);
  write(scratch, `${EV}/web-update/services2adjust/httpd-e-smith`, 'graceful\n');
  return scratch;
}

const journal = (scratch: Scratch) => readFileSync(join(scratch.path, 'journal'), 'utf8');

describe('services: the record names the system unit (ServiceName)', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  afterEach(() => scratch.remove());

  it('stock httpd-e-smith is apache2 for systemd', () => {
    scratch = scratchWithFakes('systemd');
    assert.equal(run(scratch, 'config', ['getprop', 'httpd-e-smith', 'ServiceName']).stdout, 'apache2\n');
    const result = run(scratch, 'signal-event', ['web-update']);
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
    assert.equal(journal(scratch), 'systemctl start apache2.service\nsystemctl reload-or-restart apache2.service\n');
  });

  it('stock httpd-e-smith is apache2 for SysV and runit; a record without ServiceName keeps its key', () => {
    scratch = scratchWithFakes('sysv');
    assert.equal(run(scratch, 'signal-event', ['web-update']).status, 0);
    run(scratch, 'config', ['setprop', 'httpd-e-smith', 'ServiceManager', 'runit']);
    assert.equal(run(scratch, 'signal-event', ['web-update']).status, 0);
    run(scratch, 'config', ['delprop', 'httpd-e-smith', 'ServiceName']);
    assert.equal(run(scratch, 'signal-event', ['web-update']).status, 0);
    assert.equal(journal(scratch), 'service apache2 start\nservice apache2 reload\nsv start apache2\nsv hup apache2\nsv start httpd-e-smith\nsv hup httpd-e-smith\n');
  });

  it('--dry-run names the unit; a ServiceName that is not a plain name fails the step, nothing run', () => {
    scratch = scratchWithFakes('systemd');
    const dry = run(scratch, 'signal-event', ['--dry-run', 'web-update']);
    assert.match(dry.stdout, /\n {4}httpd-e-smith: graceful \(systemd: systemctl reload-or-restart apache2\.service\)\n/);
    run(scratch, 'config', ['setprop', 'httpd-e-smith', 'ServiceName', '--now']);
    const result = run(scratch, 'signal-event', ['web-update']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /\n {4}httpd-e-smith: the ServiceName prop must be a plain unit or script name .*"--now".* \[E_SVC_CONTROL\]\n/);
    assert.throws(() => journal(scratch), { code: 'ENOENT' });
  });
});
