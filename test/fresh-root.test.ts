import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { BACKENDS, binPath, run } from './helpers/cli.ts';
import type { BackendName, Scratch } from './helpers/cli.ts';

// Issue #10 item 10: `signal-event bootstrap-console-save` on an empty
// SMECONF_ROOT creates what the stock configuration needs (the database
// directory, the directories of the generated files, Apache's run and log
// directories and the ACME challenge directory), and Apache accepts the result.

const APACHE = '/usr/sbin/apache2';
const FILES = ['etc/httpd/conf/httpd.conf', 'etc/dehydrated/config', 'etc/dehydrated/domains.txt', 'usr/bin/hook-script.sh', 'etc/cron.daily/letsencrypt'];
const DIRS: Record<string, number> = {
  'home/e-smith/db': 0o755,
  'etc/httpd/conf': 0o755,
  'etc/dehydrated': 0o755,
  'usr/bin': 0o755,
  'etc/cron.daily': 0o755,
  'var/run/apache2': 0o755,
  'var/log/apache2': 0o750,
  'home/e-smith/files/ibays/Primary/html': 0o755,
  'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge': 0o755,
};

/** An empty directory as the root: nothing under it. */
function emptyRoot(backend: BackendName): Scratch {
  const dir = makeTempDir('smeconf-fresh-');
  const env: NodeJS.ProcessEnv = { ...process.env, SMECONF_ROOT: dir.path, SMECONF_BACKEND: backend, SMECONF_SERVICE_MANAGER: 'none' };
  delete env['DBPATH'];
  return { ...dir, dbDir: join(dir.path, 'home/e-smith/db'), env };
}

/** signal-event under a umask that would make every new directory private. */
function signalEventUmask077(scratch: Scratch, event: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', 'umask 077 && exec "$0" "$@"', process.execPath, binPath('signal-event'), event], { env: scratch.env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a fresh root: bootstrap-console-save on an empty SMECONF_ROOT', function () {
  this.timeout(60_000);

  for (const backend of BACKENDS) {
    it(`${backend}: exit 0, silent, every stock file and directory created (modes whatever the umask)`, () => {
      const scratch = emptyRoot(backend);
      try {
        assert.deepEqual(readdirSync(scratch.path), []);
        const result = signalEventUmask077(scratch, 'bootstrap-console-save');
        assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
        for (const file of FILES) assert.ok(statSync(join(scratch.path, file)).isFile(), file);
        assert.equal(statSync(join(scratch.path, 'usr/bin/hook-script.sh')).mode & 0o777, 0o755);
        for (const [dir, mode] of Object.entries(DIRS)) {
          const stat = lstatSync(join(scratch.path, dir));
          assert.ok(stat.isDirectory(), dir);
          assert.equal((stat.mode & 0o777).toString(8), mode.toString(8), dir);
          assert.equal(stat.uid, process.getuid?.(), dir);
        }
        assert.equal(run(scratch, 'config', ['getprop', 'httpd-e-smith', 'status']).stdout, 'enabled\n');
      } finally {
        scratch.remove();
      }
    });
  }

  it("Apache's own syntax check passes on the result, and console-save follows", function () {
    if (!existsSync(APACHE)) {
      console.error(`\n*** SKIPPING the apache2 -t check of a fresh root: ${APACHE} is not installed (apt-get install apache2) ***\n`);
      this.skip();
    }
    const scratch = emptyRoot('sqlite');
    try {
      assert.equal(run(scratch, 'signal-event', ['bootstrap-console-save']).status, 0);
      const check = spawnSync(APACHE, ['-t', '-f', join(scratch.path, 'etc/httpd/conf/httpd.conf')], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stderr, /Syntax OK/);
      assert.equal(run(scratch, 'config', ['set', 'DomainName', 'example.com']).status, 0);
      const save = run(scratch, 'signal-event', ['console-save']);
      assert.deepEqual([save.status, save.stdout, save.stderr], [0, '', '']);
    } finally {
      scratch.remove();
    }
  });

  it('a root that does not exist (a typo) is refused in one line, nothing created', () => {
    const scratch = emptyRoot('sqlite');
    try {
      const missing = join(scratch.path, 'typo');
      const result = run(scratch, 'signal-event', ['--root', missing, 'bootstrap-console-save']);
      assert.deepEqual([result.status, result.stdout], [2, '']);
      assert.match(result.stderr, /^signal-event: no SME root at \S+\/typo: .* \[E_ROOT_MISSING\]\n$/);
      assert.deepEqual(readdirSync(scratch.path), []);
    } finally {
      scratch.remove();
    }
  });

  it('a directory named by a record never leads out of the root (.. or a symlink): the event fails, nothing created outside', () => {
    const scratch = emptyRoot('sqlite');
    const outside = makeTempDir('smeconf-outside-');
    try {
      assert.equal(run(scratch, 'signal-event', ['bootstrap-console-save']).status, 0);
      run(scratch, 'config', ['setprop', 'httpd-e-smith', 'RuntimeDir', `/../${basename(outside.path)}/run`]);
      const dots = run(scratch, 'signal-event', ['console-save']);
      assert.equal(dots.status, 1);
      assert.match(dots.stderr, /\n {4}\S+create-directories\.mjs:\d+:\d+: directory "\/\.\.\/[^"]+\/run" must not contain \.\. \[E_TPL_PATH\]\n/);
      run(scratch, 'config', ['delprop', 'httpd-e-smith', 'RuntimeDir']);
      mkdirSync(join(scratch.path, 'srv'));
      symlinkSync(outside.path, join(scratch.path, 'srv/logs'));
      run(scratch, 'config', ['setprop', 'httpd-e-smith', 'ErrorLog', '/srv/logs/apache2/error.log']);
      const link = run(scratch, 'signal-event', ['console-save']);
      assert.equal(link.status, 1);
      assert.match(link.stderr, /directory "\/srv\/logs\/apache2" resolves outside the root .* \[E_TPL_PATH\]\n/);
      assert.deepEqual(readdirSync(outside.path), []);
    } finally {
      outside.remove();
      scratch.remove();
    }
  });
});
