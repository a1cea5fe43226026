import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { REPO } from './helpers/cli.ts';
import { CHALLTESTSRV, startMockDns } from './helpers/mock-dns.ts';
import { Processes, freePort, waitFor } from './helpers/processes.ts';

// Issue #10, "Must show": README's "HTTPS the SME way" block, taken from
// README.md at test time (the two cannot drift), runs as written with bash on
// an empty root, the bins on PATH. `smeconf letsencrypt renew` runs a
// stand-in `dehydrated` (first on PATH) that records its arguments: no CA is
// contacted. The preflight (`smeconf cert check`, and renew's own) asks a
// pebble-challtestsrv on 127.0.0.1 (the names resolve to 127.0.0.1) and
// fetches the challenge from a plain file server standing in for Apache's
// port 80: both set in the root's own defaults tree (etc/e-smith/db, as a
// site sets its defaults), so no query leaves the machine.

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

/** The root's local defaults (applied by bootstrap-console-save, winning over the stock ones). */
function siteDefaults(root: string, props: Record<string, string>): void {
  for (const [path, value] of Object.entries(props)) {
    const file = join(root, 'etc/e-smith/db/configuration/defaults', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${value}\n`);
  }
}

describe("README's \"HTTPS the SME way\", as written, on an empty root", function () {
  this.timeout(60_000);
  const processes = new Processes();
  let dir: TempDir;
  beforeEach(function () {
    if (!existsSync(CHALLTESTSRV)) {
      console.error(`\n*** SKIPPING README's HTTPS block: ${CHALLTESTSRV} is not installed (apt-get install pebble); its preflight would ask the system's DNS ***\n`);
      this.skip();
    }
    dir = makeTempDir('smeconf-readme-');
  });
  afterEach(async () => {
    await processes.stopAll();
    dir?.remove();
  });

  it('every line succeeds, the SME ones silently; cert check passes, renew runs dehydrated for this root, cert status says the self-signed certificate is still in use; Apache accepts the files', async () => {
    const block = readmeBlock();
    assert.match(block, /^signal-event bootstrap-console-save/, 'the block starts on an empty root');
    const root = join(dir.path, 'root');
    mkdirSync(root);
    const dns = await startMockDns(dir.path, processes);
    for (const name of ['example.org', 'www.example.org', 'odoo.example.org']) await dns.setA(name, ['127.0.0.1']);
    const http = await freePort();
    processes.start([process.execPath, join(REPO, 'test/fixtures/static-files.mjs'), String(http), join(root, 'home/e-smith/files/ibays/Primary/html')], join(dir.path, 'http.log'));
    await waitFor('the file server', () => fetch(`http://127.0.0.1:${http}/`).then(() => true, () => false));
    // and HTTPS on a port nothing listens on (the served check must not meet a system Apache on 443)
    siteDefaults(root, { 'letsencrypt/CheckResolver': dns.server, 'httpd-e-smith/TCPPort': String(http), 'modSSL/TCPPort': String(await freePort()) });
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir(dir.path)}:${process.env['PATH']}`, SMECONF_ROOT: root, SMECONF_SERVICE_MANAGER: 'none' };
    delete env['SMECONF_BACKEND'];
    delete env['DBPATH'];
    // the last line, cert status, exits 10 here (warnings: no CA issued a certificate); all before it with set -e
    const [body, last] = [block.trimEnd().split('\n').slice(0, -1).join('\n'), block.trimEnd().split('\n').at(-1)!];
    assert.match(last, /^smeconf cert status /);
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', body], { env, encoding: 'utf8', cwd: dir.path });
    assert.equal(result.status, 0, `${body}\n${result.stdout}${result.stderr}`);
    assert.equal(result.stderr, '', 'no warning, no progress off a terminal');

    const args = readFileSync(join(dir.path, 'dehydrated.args'), 'utf8');
    assert.equal(args, `-f\n${root}/etc/dehydrated/config\n-c\n--accept-terms\n`, 'dehydrated with the generated config, registering with the accepted terms');
    const [check, dehydrated] = [result.stdout.slice(0, result.stdout.lastIndexOf('dehydrated (stand-in)')), result.stdout.slice(result.stdout.lastIndexOf('dehydrated (stand-in)'))];
    for (const name of ['example.org', 'www.example.org', 'odoo.example.org']) assert.match(check, new RegExp(`^${name.replaceAll('.', '\\.')} +OK`, 'm'));
    assert.equal(dehydrated, `dehydrated (stand-in): ${args.trimEnd().split('\n').join(' ')}\n`, 'then only dehydrated speaks');
    const status = spawnSync('bash', ['-uo', 'pipefail', '-c', last], { env, encoding: 'utf8', cwd: dir.path });
    assert.deepEqual([status.status, status.stderr], [10, ''], status.stdout);
    assert.match(status.stdout, /^warning E_CERT_SELF_SIGNED: /m);
    assert.match(status.stdout, /^status: warnings$/m);

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
