import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { binPath, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { CHALLTESTSRV, startMockDns } from './helpers/mock-dns.ts';
import { Processes, freePort, waitFor } from './helpers/processes.ts';
import { HTTPD, ok, serverWith } from './helpers/sme-server.ts';

// The stock VirtualHosts/70StatusPage.mjs (docs/status-page.md): the status
// page behind Apache at `statuspage ApacheLocation`, off by default, only in
// the primary domain's HTTPS VirtualHost; through a real Apache to a real
// `smeconf serve`, all on 127.0.0.1.

const APACHE = '/usr/sbin/apache2';
const TOKEN = 'apache-test-token-0123456789abcdef';

/** A server with a deployed (openssl self-made) certificate: HTTPS VirtualHosts for each domain. */
function httpsServer(): Scratch {
  const scratch = serverWith(['example.test', 'other.test']);
  const dir = join(scratch.path, 'etc/certs');
  mkdirSync(dir, { recursive: true });
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'x.key'), '-out', join(dir, 'x.crt'), '-days', '2', '-subj', '/CN=example.test'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  ok(scratch, 'config', ['setprop', 'modSSL', 'status', 'enabled', 'crt', join(dir, 'x.crt'), 'key', join(dir, 'x.key')]);
  return scratch;
}

/** Each VirtualHost's opening line and its status-page lines. */
function statusPageLines(conf: string): [string, string[]][] {
  return conf.split('<VirtualHost ').slice(1).map((vhost) => {
    const lines = vhost.split('\n');
    const name = `${lines[0]} ${/ServerName (\S+)/.exec(vhost)?.[1] ?? ''}`;
    return [name, lines.filter((line) => /status page|\/certificates/.test(line))];
  });
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, servername: 'example.test', rejectUnauthorized: false, headers: { host: 'example.test', ...headers }, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the status page behind Apache (VirtualHosts/70StatusPage.mjs)', function () {
  this.timeout(60_000);
  let scratch: Scratch | undefined;
  const processes = new Processes();

  afterEach(async () => {
    await processes.stopAll();
    scratch?.remove();
    scratch = undefined;
  });

  it('off by default: no status-page line in any VirtualHost', () => {
    scratch = httpsServer();
    ok(scratch, 'config', ['set', 'statuspage', 'service', 'TCPPort', '8089', 'ListenAddress', '127.0.0.1', 'Token', TOKEN]);
    const conf = ok(scratch, 'expand-template', ['--stdout', HTTPD]);
    assert.ok(conf.includes('SSLEngine on'));
    assert.deepEqual(statusPageLines(conf).flatMap(([, lines]) => lines), []);
  });

  it('with ApacheLocation: the primary domain\'s HTTPS VirtualHost only, before the catch-all; apache2 -t passes', function () {
    scratch = httpsServer();
    ok(scratch, 'db', ['domains', 'setprop', 'example.test', 'ProxyPassTarget', 'http://127.0.0.1:8069/']);
    ok(scratch, 'config', ['set', 'statuspage', 'service', 'TCPPort', '8090', 'ListenAddress', '127.0.0.1', 'ApacheLocation', '/certificates/']);
    ok(scratch, 'expand-template', [HTTPD]);
    const conf = readFileSync(join(scratch.path, HTTPD), 'utf8');
    const found = statusPageLines(conf).filter(([, lines]) => lines.length > 0);
    assert.deepEqual(found, [[
      '*:443> example.test',
      [
        '    # the status page (smeconf serve), with its own token',
        '    ProxyPassMatch "^/certificates$" !',
        '    RedirectMatch "^/certificates$" "/certificates/"',
        '    ProxyPass /certificates/ http://127.0.0.1:8090/',
        '    ProxyPassReverse /certificates/ http://127.0.0.1:8090/',
      ],
    ]]);
    const vhost = conf.split('<VirtualHost ').find((text) => text.startsWith('*:443>') && text.includes('ServerName example.test'))!;
    assert.ok(vhost.indexOf('ProxyPass /certificates/') < vhost.indexOf('ProxyPass / '), vhost);
    if (!existsSync(APACHE)) {
      console.error(`\n*** SKIPPING apache2 -t of the status page's fragment: ${APACHE} is not installed (apt-get install apache2) ***\n`);
      return this.skip();
    }
    const check = spawnSync(APACHE, ['-t', '-f', join(scratch.path, HTTPD)], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('an ApacheLocation that is no plain URL path fails the target, naming it; nothing is written', () => {
    scratch = httpsServer();
    for (const [location, problem] of [
      ['/a/../b', /configuration statuspage ApacheLocation "\/a\/\.\.\/b" is not a plain URL path such as \/certificates/],
      ['/a"b', /configuration statuspage ApacheLocation is not a plain absolute path .*\[E_TPL_UNSAFE_VALUE\]/],
      ['certificates', /configuration statuspage ApacheLocation is not a plain absolute path/],
    ] as const) {
      ok(scratch, 'config', ['set', 'statuspage', 'service', 'ApacheLocation', location]);
      const result = run(scratch, 'expand-template', [HTTPD]);
      assert.equal(result.status, 5, location);
      assert.match(result.stderr, problem);
      assert.equal(existsSync(join(scratch.path, HTTPD)), false);
    }
  });

  it('through a real Apache: the token passes, 401 without it, the redirect to the slash, "check again" from the page\'s origin', async function () {
    for (const program of [APACHE, CHALLTESTSRV]) {
      if (!existsSync(program)) {
        console.error(`\n*** SKIPPING the status page through Apache: ${program} is not installed ***\n`);
        return this.skip();
      }
    }
    scratch = httpsServer();
    const R = scratch.path;
    chmodSync(R, 0o755); // Apache's children (www-data when we are root) traverse it
    const [http, https, page] = [await freePort(), await freePort(), await freePort()];
    // the page's first load runs the preflight: its DNS is a local challtestsrv, so no query leaves the machine
    const dns = await startMockDns(R, processes);
    ok(scratch, 'config', ['setprop', 'letsencrypt', 'CheckResolver', dns.server]);
    ok(scratch, 'config', ['setprop', 'httpd-e-smith', 'TCPPort', String(http), 'ListenAddress', '127.0.0.1']);
    ok(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', String(https)]);
    if (process.getuid?.() !== 0) ok(scratch, 'config', ['delprop', 'httpd-e-smith', 'User', 'Group']);
    ok(scratch, 'config', ['set', 'statuspage', 'service', 'TCPPort', String(page), 'ListenAddress', '127.0.0.1', 'Token', TOKEN, 'ApacheLocation', '/certificates']);
    ok(scratch, 'expand-template', [HTTPD]);
    processes.start([process.execPath, binPath('smeconf'), 'serve'], join(R, 'serve.log'), scratch.env);
    processes.start([APACHE, '-f', join(R, HTTPD), '-D', 'FOREGROUND'], join(R, 'apache.log'));
    await waitFor('the page', () => readFileSync(join(R, 'serve.log'), 'utf8').includes(' is at '));
    await waitFor('Apache', () => get(https, '/certificates/').then((reply) => reply.status === 401, () => false));

    const anonymous = await get(https, '/certificates/');
    assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="smeconf status page", charset="UTF-8"');
    const auth = { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` };
    const reply = await get(https, '/certificates/', auth);
    assert.equal(reply.status, 200, reply.body);
    assert.match(reply.body, /<link rel="stylesheet" href="style\.css">/);
    assert.equal((await get(https, '/certificates/style.css', auth)).status, 200);
    const bare = await get(https, '/certificates');
    assert.deepEqual([bare.status, bare.headers['location']], [302, 'https://example.test/certificates/']);

    const token = /name="form_token" value="([^"]+)"/.exec(reply.body)?.[1] ?? '';
    const form = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
    const check = await get(https, '/certificates/check', { ...form, origin: `https://example.test:${https}`, host: `example.test:${https}` }, 'POST', `form_token=${encodeURIComponent(token)}`);
    assert.deepEqual([check.status, check.headers['location']], [303, './']);
    const foreign = await get(https, '/certificates/check', { ...form, origin: 'https://evil.test' }, 'POST', `form_token=${encodeURIComponent(token)}`);
    assert.equal(foreign.status, 403);
  });
});
