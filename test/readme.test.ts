import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { REPO } from './helpers/cli.ts';

// Issue #10, "Must show": README's "HTTPS the SME way" block, taken from
// README.md at test time (the two cannot drift), runs as written with bash on
// an empty root, the bins on PATH. Its last line, `smeconf letsencrypt renew`,
// runs a stand-in `dehydrated` (first on PATH) that records its arguments:
// no CA is contacted.

const APACHE = '/usr/sbin/apache2';
const HEADING = '## HTTPS the SME way';

/** The first indented code block after README's HEADING. */
function readmeBlock(): string {
  const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
  let i = lines.indexOf(HEADING);
  assert.ok(i !== -1, `${HEADING} in README.md`);
  while (i < lines.length && !lines[i]!.startsWith('    ')) i++;
  const block: string[] = [];
  for (; i < lines.length && (lines[i]!.startsWith('    ') || lines[i] === ''); i++) block.push(lines[i]!.slice(4));
  return block.join('\n').trimEnd() + '\n';
}

/** bin/: the repository's bins (as node_modules/.bin after npm ci) and the stand-in dehydrated. */
function binDir(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const bins = join(REPO, 'node_modules/.bin');
  for (const name of ['db', 'config', 'smeconf', 'expand-template', 'signal-event']) assert.ok(existsSync(join(bins, name)), `${name} in node_modules/.bin`);
  writeFileSync(join(bin, 'dehydrated'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir, 'dehydrated.args')}"\necho "dehydrated (stand-in): $*"\n`);
  chmodSync(join(bin, 'dehydrated'), 0o755);
  return `${bin}:${bins}`;
}

describe("README's \"HTTPS the SME way\", as written, on an empty root", function () {
  this.timeout(60_000);
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir('smeconf-readme-')));
  afterEach(() => dir.remove());

  it('every line succeeds, silently; the files are there, Apache accepts them, renew runs dehydrated for this root', () => {
    const block = readmeBlock();
    assert.match(block, /^signal-event bootstrap-console-save/, 'the block starts on an empty root');
    const root = join(dir.path, 'root');
    mkdirSync(root);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir(dir.path)}:${process.env['PATH']}`, SMECONF_ROOT: root, SMECONF_SERVICE_MANAGER: 'none' };
    delete env['SMECONF_BACKEND'];
    delete env['DBPATH'];
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', block], { env, encoding: 'utf8', cwd: dir.path });
    assert.equal(result.status, 0, `${block}\n${result.stdout}${result.stderr}`);
    assert.equal(result.stderr, '', 'no warning, no progress off a terminal');

    const args = readFileSync(join(dir.path, 'dehydrated.args'), 'utf8');
    assert.equal(args, `-f\n${root}/etc/dehydrated/config\n-c\n--accept-terms\n`, 'dehydrated with the generated config, registering with the accepted terms');
    assert.equal(result.stdout, `dehydrated (stand-in): ${args.trimEnd().split('\n').join(' ')}\n`, 'only dehydrated speaks');

    const file = (path: string) => readFileSync(join(root, path), 'utf8');
    assert.equal(file('etc/dehydrated/domains.txt'), 'example.org www.example.org odoo.example.org \n');
    assert.match(file('etc/dehydrated/config'), /^CONTACT_EMAIL=.*admin@example\.org/m);
    assert.match(file('etc/cron.daily/letsencrypt'), new RegExp(`/smeconf --root '${root}' letsencrypt renew `), 'the daily renewal, for this root');
    assert.match(file('etc/httpd/conf/httpd.conf'), /<VirtualHost [^>]+>\n {4}ServerName odoo\.example\.org\n[^]*?SSLEngine on\n[^]*?ProxyPass \/ http:\/\/127\.0\.0\.1:8069\//);
    const crt = /SSLCertificateFile "([^"]+)"/.exec(file('etc/httpd/conf/httpd.conf'))?.[1];
    assert.match(crt ?? '', new RegExp(`^${root}/home/e-smith/ssl\\.crt/[^/]*example\\.org\\.crt$`), 'HTTPS with the self-signed certificate until one is issued');
    assert.ok(existsSync(crt!), crt);
    if (existsSync(APACHE)) {
      const check = spawnSync(APACHE, ['-t', '-f', join(root, 'etc/httpd/conf/httpd.conf')], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    } else console.error(`    (${APACHE} not installed: apache2 -t skipped)`);
  });
});
