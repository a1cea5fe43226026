import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { binPath, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { freePort, waitFor } from './helpers/processes.ts';
import { call } from './helpers/http-call.ts';

// `smeconf serve` (issue #13, surface 6) without a browser: never open
// without a token, the token on every request, the headers of every answer.
// The page in chromium: test/status-page.test.ts. The root has no names, so
// the page never runs a preflight (no DNS query leaves the machine).

const TOKEN = 'serve-test-token-0123456789abcdef';
const CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";


/** `smeconf serve ARGS` as a real process; resolves with its URL once it says where it listens. */
async function serve(scratch: Scratch, args: readonly string[]): Promise<{ child: ChildProcess; url: string; output: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [binPath('smeconf'), 'serve', ...args], { env: scratch.env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await waitFor('smeconf serve to listen', () => / is at (http:\/\/\S+\/) /.exec(output)?.[1] ?? (child.exitCode !== null ? Promise.reject(new Error(output)) : ''));
  return { child, url, output: () => output, exit };
}

describe('smeconf serve', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  const children: ChildProcess[] = [];

  before(() => {
    scratch = makeScratch('sqlite');
    // the record as the stock defaults make it (db/configuration/defaults/statuspage), no Token
    assert.equal(run(scratch, 'config', ['set', 'statuspage', 'service', 'TCPPort', '8089', 'ListenAddress', '127.0.0.1', 'RecheckSeconds', '60']).status, 0);
  });

  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    scratch.remove();
  });

  it('never open: no Token, or a short one, is E_SERVE_NO_TOKEN (exit 3), one line naming the command that sets one', () => {
    const none = run(scratch, 'smeconf', ['serve']);
    assert.deepEqual([none.status, none.stdout], [3, '']);
    assert.equal(none.stderr, 'smeconf: no access token for the status page: config setprop statuspage Token SECRET (openssl rand -hex 16 makes one; the page is never served without it) [E_SERVE_NO_TOKEN]\n');
    assert.equal(run(scratch, 'config', ['setprop', 'statuspage', 'Token', 'SECRET']).status, 0);
    const short = run(scratch, 'smeconf', ['serve']);
    assert.equal(short.status, 3);
    assert.match(short.stderr, /^smeconf: the status page's access token is too short \(6 characters, at least 16\): .* \[E_SERVE_NO_TOKEN\]\n$/);
    const bare = makeScratch('sqlite');
    try {
      const noRecord = run(bare, 'smeconf', ['serve']);
      assert.equal(noRecord.status, 3);
      assert.match(noRecord.stderr, /^smeconf: no statuspage record, so no access token: config set statuspage service Token SECRET .*\[E_SERVE_NO_TOKEN\]\n$/);
    } finally {
      bare.remove();
    }
  });

  it('a bad prop is E_DB_PROP_INVALID naming it; a bad flag E_USAGE', () => {
    assert.equal(run(scratch, 'config', ['setprop', 'statuspage', 'Token', TOKEN, 'ListenAddress', 'localhost']).status, 0);
    const bad = run(scratch, 'smeconf', ['serve']);
    assert.deepEqual([bad.status, bad.stderr], [3, 'smeconf: statuspage ListenAddress "localhost": expected an IP address (IPv4, or IPv6 in brackets) [E_DB_PROP_INVALID]\n']);
    assert.equal(run(scratch, 'config', ['setprop', 'statuspage', 'ListenAddress', '127.0.0.1']).status, 0);
    const flag = run(scratch, 'smeconf', ['serve', '--bind', 'any']);
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /--bind "any": expected an IP address \[E_USAGE\]\n$/);
  });

  it('a port already taken: E_SERVE_LISTEN, exit 4', async () => {
    const taken: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const result = run(scratch, 'smeconf', ['serve', '--port', String(port)]);
      assert.deepEqual([result.status, result.stderr], [4, `smeconf: cannot listen on 127.0.0.1:${port}: EADDRINUSE [E_SERVE_LISTEN]\n`]);
    } finally {
      taken.close();
    }
  });

  it('serves statuspage ListenAddress:TCPPort (127.0.0.1 by default); the token on every request; the headers; SIGTERM ends it with 0', async () => {
    const port = await freePort();
    assert.equal(run(scratch, 'config', ['setprop', 'statuspage', 'Token', TOKEN, 'TCPPort', String(port)]).status, 0);
    const server = await serve(scratch, []);
    children.push(server.child);
    assert.equal(server.url, `http://127.0.0.1:${port}/`);

    const anonymous = await call(server.url);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="smeconf status page", charset="UTF-8"');
    assert.equal(anonymous.headers['content-security-policy'], CSP);
    for (const path of ['', 'style.css', 'check']) assert.equal((await call(`${server.url}${path}`, { method: path === 'check' ? 'POST' : 'GET' })).status, 401, path);
    assert.equal((await call(server.url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status, 401);

    const basic = await call(server.url, { headers: { authorization: `Basic ${Buffer.from(`whoever:${TOKEN}`).toString('base64')}` } });
    assert.equal(basic.status, 200, basic.body);
    assert.deepEqual(
      ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'cache-control', 'x-frame-options'].map((name) => basic.headers[name]),
      ['text/html; charset=utf-8', CSP, 'nosniff', 'same-origin', 'no-store', 'DENY'],
    );
    assert.match(basic.body, /<span id="overall" class="badge error" data-status="error">errors<\/span>/);
    assert.match(basic.body, /<p class="muted">No enabled names\.<\/p>/);
    assert.match(basic.body, /<div class="finding error" data-code="E_CERT_MISSING">/);
    assert.doesNotMatch(basic.body, /<script/);
    assert.doesNotMatch(basic.body, new RegExp(TOKEN));

    const bearer = { authorization: `Bearer ${TOKEN}` };
    const css = await call(`${server.url}style.css`, { headers: bearer });
    assert.deepEqual([css.status, css.headers['content-type'], css.headers['content-security-policy']], [200, 'text/css; charset=utf-8', CSP]);
    const crossSite = await call(`${server.url}check`, { method: 'POST', headers: { ...bearer, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'form_token=x' });
    assert.deepEqual([crossSite.status, crossSite.body], [403, '403: "check again" refused: the request comes from another origin (Origin: http://evil.example)\n']);

    server.child.kill('SIGTERM');
    assert.equal(await server.exit, 0);
    assert.equal(server.output(), `smeconf serve: the status page is at ${server.url} (the token: HTTP Basic password or Bearer)\n`);
  });

  it('--bind and --port override the record (--port 0: any free port)', async () => {
    const server = await serve(scratch, ['--bind', '127.0.0.1', '--port', '0']);
    children.push(server.child);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal((await call(server.url, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    server.child.kill('SIGTERM');
    assert.equal(await server.exit, 0);
  });
});
