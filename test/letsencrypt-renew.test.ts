import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

// `smeconf letsencrypt renew|register` (issue #10 items 3-4) and the daily
// cron file, with a stand-in dehydrated on PATH that says how it was called.

const FAKE = `#!/bin/sh
echo "dehydrated $*"
echo "dehydrated's own stderr" >&2
[ -n "$FAKE_ARGS" ] && echo "$*" > "$FAKE_ARGS"
exit \${FAKE_STATUS:-0}
`;

function server(): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2', 'stub-bin']) {
    mkdirSync(join(scratch.path, dir), { recursive: true });
  }
  writeFileSync(join(scratch.path, 'stub-bin/dehydrated'), FAKE);
  chmodSync(join(scratch.path, 'stub-bin/dehydrated'), 0o755);
  scratch.env['PATH'] = `${join(scratch.path, 'stub-bin')}:${process.env['PATH']}`;
  assert.equal(run(scratch, 'signal-event', ['bootstrap-console-save']).status, 0);
  assert.equal(run(scratch, 'config', ['set', 'DomainName', 'example.test']).status, 0);
  return scratch;
}

function ok(scratch: Scratch, bin: 'config' | 'signal-event', ...args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stderr;
}

const TERMS = 'config setprop letsencrypt ACCEPT_TERMS yes';

describe('smeconf letsencrypt renew / register (dehydrated for the configured root)', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  let R: string;
  beforeEach(() => {
    scratch = server();
    R = scratch.path;
  });
  afterEach(() => scratch.remove());

  it('runs dehydrated -f $ROOT/etc/dehydrated/config -c --accept-terms, streams its output, exits with its status; --force adds -x', () => {
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'enabled', 'ACCEPT_TERMS', 'yes');
    ok(scratch, 'signal-event', 'console-save');
    const renew = run(scratch, 'smeconf', ['letsencrypt', 'renew']);
    assert.equal(renew.status, 0, renew.stderr);
    assert.equal(renew.stdout, `dehydrated -f ${R}/etc/dehydrated/config -c --accept-terms\n`);
    assert.equal(renew.stderr, "dehydrated's own stderr\n");
    const forced = run(scratch, 'smeconf', ['letsencrypt', 'renew', '--force']);
    assert.equal(forced.stdout, `dehydrated -f ${R}/etc/dehydrated/config -c --accept-terms -x\n`);
    const failed = run(scratch, 'smeconf', ['letsencrypt', 'renew'], { FAKE_STATUS: '7' });
    assert.equal(failed.status, 7, 'dehydrated\'s exit status, faithfully');
    assert.equal(failed.stdout, `dehydrated -f ${R}/etc/dehydrated/config -c --accept-terms\n`);
  });

  it('register: the documented one-shot, dehydrated --register --accept-terms', () => {
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test', 'ACCEPT_TERMS', 'yes');
    ok(scratch, 'signal-event', 'console-save');
    const register = run(scratch, 'smeconf', ['letsencrypt', 'register']);
    assert.equal(register.status, 0, register.stderr);
    assert.equal(register.stdout, `dehydrated -f ${R}/etc/dehydrated/config --register --accept-terms\n`);
  });

  it('refuses without ACCEPT_TERMS yes, when disabled, or before console-save made the config: one coded line, dehydrated not run', () => {
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'enabled');
    const early = run(scratch, 'smeconf', ['letsencrypt', 'renew']);
    assert.equal(early.status, 3);
    assert.equal(early.stdout, '');
    assert.match(early.stderr, new RegExp(`^smeconf: .*terms.*not accepted.*${TERMS}.* \\[E_LE_TERMS_NOT_ACCEPTED\\]\\n$`));
    for (const verb of ['renew', 'register']) {
      assert.equal(run(scratch, 'smeconf', ['letsencrypt', verb]).status, 3, verb);
    }
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'ACCEPT_TERMS', 'yes');
    rmSync(join(R, 'etc/dehydrated/config'));
    const unconfigured = run(scratch, 'smeconf', ['letsencrypt', 'renew']);
    assert.equal(unconfigured.status, 4);
    assert.match(unconfigured.stderr, new RegExp(`^smeconf: ${R}/etc/dehydrated/config does not exist: run signal-event console-save first \\[E_LE_UNAVAILABLE\\]\\n$`));
    ok(scratch, 'signal-event', 'console-save');
    mkdirSync(join(R, 'empty-bin'));
    const noProgram = run(scratch, 'smeconf', ['letsencrypt', 'renew'], { PATH: join(R, 'empty-bin') });
    assert.equal(noProgram.status, 4);
    assert.match(noProgram.stderr, /^smeconf: dehydrated is not installed .*\[E_LE_UNAVAILABLE\]\n$/);
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'disabled');
    const disabled = run(scratch, 'smeconf', ['letsencrypt', 'renew']);
    assert.equal(disabled.status, 3);
    assert.match(disabled.stderr, /^smeconf: letsencrypt is disabled: config setprop letsencrypt status test \(or enabled\), then signal-event console-save \[E_LE_DISABLED\]\n$/);
  });

  it('console-save warns on stderr, without failing, while the terms are not accepted', () => {
    assert.doesNotMatch(ok(scratch, 'signal-event', 'console-save'), /ACCEPT_TERMS/, 'disabled: nothing to say');
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test');
    const warned = ok(scratch, 'signal-event', 'console-save');
    assert.match(warned, new RegExp(`^signal-event: warning: the Let's Encrypt terms of service are not accepted: no certificate can be issued; to accept them: ${TERMS}$`, 'm'));
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'ACCEPT_TERMS', 'yes');
    assert.doesNotMatch(ok(scratch, 'signal-event', 'console-save'), /ACCEPT_TERMS/);
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'ACCEPT_TERMS', 'Yes');
    const typo = run(scratch, 'signal-event', ['console-save']);
    assert.equal(typo.status, 1);
    assert.ok(typo.stderr.includes('letsencrypt ACCEPT_TERMS is "Yes": expected yes or no'), typo.stderr);
  });

  it('the cron file: renew through smeconf when enabled (and it works as cron runs it), says test mode when test, disabled when disabled', () => {
    const cron = join(R, 'etc/cron.daily/letsencrypt');
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'enabled', 'ACCEPT_TERMS', 'yes');
    ok(scratch, 'signal-event', 'console-save');
    const bin = join(REPO, 'node_modules/.bin');
    assert.equal(readFileSync(cron, 'utf8'), `#!/bin/sh\n\nSMECONF_BACKEND=sqlite '${bin}'/smeconf --root '${R}' letsencrypt renew 2>&1 > /dev/null\n`);
    const args = join(R, 'args');
    const daily = spawnSync('sh', [cron], { env: { PATH: `${join(R, 'stub-bin')}:/usr/bin:/bin`, FAKE_ARGS: args }, encoding: 'utf8' });
    assert.equal(daily.status, 0, daily.stdout + daily.stderr);
    assert.equal(daily.stdout, "dehydrated's own stderr\n", 'stderr reaches cron mail, stdout does not');
    assert.equal(readFileSync(args, 'utf8'), `-f ${R}/etc/dehydrated/config -c --accept-terms\n`);

    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test');
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(readFileSync(cron, 'utf8'), '# letsencrypt is in test mode (staging CA): no daily renewal; renew by hand with smeconf letsencrypt renew, or set status enabled\n');
    ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'disabled');
    ok(scratch, 'signal-event', 'console-save');
    assert.equal(readFileSync(cron, 'utf8'), '# letsencrypt is disabled\n');
  });
});
