import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { REPO } from './helpers/cli.ts';

// Issue #11 item 6: smeconf installs anywhere. The packed tarball goes into
// an empty npm prefix and the Debian package into this machine (CI's is
// root and throw-away), then the installed bins run from another directory
// against a scratch root with the stock trees they carry (docs/install.md).
// Needs `npm run build` first (npm test builds).

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

function sh(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number | null; out: string; stdout: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: options.cwd ?? REPO, env: options.env ?? process.env, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout ?? '', out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function ok(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = sh(argv, options);
  assert.equal(result.status, 0, `${argv.join(' ')}\n${result.out}`);
  return result.stdout;
}

/** The SME story with the installed bins in `binDir`, from a directory outside the checkout and the install. */
function story(tmp: TempDir, binDir: string, stockDir: string): void {
  const root = join(tmp.path, 'root');
  const cwd = join(tmp.path, 'elsewhere');
  mkdirSync(root);
  mkdirSync(cwd);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir}:${dirname(process.execPath)}:/usr/bin:/bin`, SMECONF_ROOT: root, SMECONF_SERVICE_MANAGER: 'none' };
  for (const name of Object.keys(env)) if (name.startsWith('npm_') || name === 'NODE_OPTIONS' || name === 'SMECONF_BACKEND') delete env[name];
  const bin = (name: string, ...args: string[]) => ok([join(binDir, name), ...args], { cwd, env });

  assert.equal(bin('db', '--version'), `smeconf ${VERSION}\n`);
  assert.equal(bin('signal-event', 'bootstrap-console-save'), '');
  assert.equal(bin('config', 'set', 'DomainName', 'example.org'), '');
  assert.equal(bin('db', 'domains', 'setprop', 'example.org', 'letsencryptSSLcert', 'enabled'), '');
  assert.equal(bin('signal-event', 'console-save'), '');
  assert.equal(bin('config', 'get', 'DomainName'), 'example.org\n');
  assert.match(bin('db', 'hosts', 'keys'), /^www\.example\.org$/m); // the event actions found @smeconf/db
  assert.ok(existsSync(join(root, 'home/e-smith/ssl.crt/server.example.org.crt')), 'S04 (@smeconf/cli/letsencrypt) made the self-signed certificate');
  assert.equal(bin('expand-template', '/etc/httpd/conf/httpd.conf'), '');
  assert.match(readFileSync(join(root, 'etc/httpd/conf/httpd.conf'), 'utf8'), /^\s*ServerName example\.org$/m);
  const listing = bin('smeconf', 'templates', 'ls', '/etc/dehydrated/domains.txt');
  assert.ok(listing.includes(join(stockDir, 'templates/etc/dehydrated/domains.txt/10Domains.mjs')), listing);
}

describe('installs anywhere (issue #11 item 6)', function () {
  this.timeout(180_000);

  it('npm install -g of the packed tarball into an empty prefix (offline): the bins work from another directory', () => {
    const tmp = makeTempDir('smeconf-install-');
    try {
      const tarball = ok(['node', 'scripts/pack.mjs', join(tmp.path, 'pack')]).trim();
      assert.equal(tarball, join(tmp.path, 'pack', `smeconf-${VERSION}.tgz`));
      const prefix = join(tmp.path, 'prefix');
      ok(['npm', 'install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--allow-scripts=smeconf', tarball], { cwd: tmp.path });
      const stockDir = join(prefix, 'lib/node_modules/smeconf');
      for (const name of ['db', 'config', 'expand-template', 'signal-event', 'smeconf']) {
        assert.ok(realpathSync(join(prefix, 'bin', name)).startsWith(`${stockDir}/`), name);
      }
      assert.ok(!lstatSync(join(stockDir, 'node_modules/@smeconf/cli')).isSymbolicLink(), 'the workspace packages are inside the tarball');
      story(tmp, join(prefix, 'bin'), stockDir);
    } finally {
      tmp.remove();
    }
  });

  it('dpkg -i of the Debian package: bins on PATH, units, templates-custom, the same story; dpkg -r removes it', function () {
    if (process.getuid?.() !== 0 || sh(['dpkg-deb', '--version']).status !== 0 || sh(['dpkg', '-s', 'nodejs']).status !== 0) {
      console.error('\n*** SKIPPED: dpkg -i of the .deb needs root, dpkg-deb and the nodejs Debian package (.ci/run has them) ***\n');
      this.skip();
    }
    const tmp = makeTempDir('smeconf-deb-');
    try {
      const deb = ok(['node', 'scripts/package-deb.mjs', tmp.path]).trim();
      assert.match(deb, new RegExp(`/smeconf_${VERSION.replaceAll('.', '\\.')}_[a-z0-9]+\\.deb$`));
      ok(['dpkg', '-i', deb]);
      assert.equal(realpathSync('/usr/bin/signal-event'), '/usr/lib/smeconf/node_modules/@smeconf/cli/bin/signal-event.cjs');
      for (const unit of ['smeconf-watch.service', 'smeconf-serve.service', 'smeconf-renew.service', 'smeconf-renew.timer', 'smeconf-agent.service']) {
        assert.ok(existsSync(join('/lib/systemd/system', unit)), unit);
      }
      assert.ok(lstatSync('/etc/e-smith/templates-custom').isDirectory());
      story(tmp, '/usr/bin', '/usr/lib/smeconf');
    } finally {
      const removed = sh(['dpkg', '-r', 'smeconf']);
      tmp.remove();
      assert.equal(removed.status, 0, removed.out);
      assert.ok(!existsSync('/usr/bin/signal-event') && !existsSync('/usr/lib/smeconf'), 'dpkg -r removed the bins and the product');
    }
  });
});
