import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { makeScratch, run, runAsync } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { CHALLTESTSRV, startMockDns } from './helpers/mock-dns.ts';
import type { MockDns } from './helpers/mock-dns.ts';
import { Processes, freePort } from './helpers/processes.ts';

// `smeconf cert check` (issue #13, the preflight): the bin end to end, with
// pebble-challtestsrv as the DNS (letsencrypt CheckResolver) and a node
// HTTP server on 127.0.0.1 serving the root's challenge directory as
// Apache's ACME alias does (httpd-e-smith TCPPort).

const CHALLENGE_DIR = 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge';

interface Json {
  status: string;
  names: { name: string; code: string; detail: string; addresses: string[]; cause?: string; fix?: string }[];
}

describe('smeconf cert check', function () {
  this.timeout(30_000);
  const processes = new Processes();
  let scratch: Scratch;
  let dns: MockDns;
  let server: Server;

  const ok = (bin: 'db' | 'config', ...args: string[]) => {
    const result = run(scratch, bin, args);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  const check = (...args: string[]) => runAsync(scratch, 'smeconf', ['cert', 'check', ...args]);

  before(async function () {
    if (!existsSync(CHALLTESTSRV)) {
      console.error(`SKIPPED: ${CHALLTESTSRV} is not installed (apt-get install pebble)`);
      this.skip();
    }
    scratch = makeScratch('sqlite');
    dns = await startMockDns(scratch.path, processes);
    for (const name of ['example.test', 'www.example.test', 'other.test']) await dns.setA(name, ['127.0.0.1']);
    const challengeDir = join(scratch.path, CHALLENGE_DIR);
    server = createServer((request, response) => {
      const token = /^\/\.well-known\/acme-challenge\/([\w-]+)$/.exec(request.url ?? '')?.[1];
      const path = token === undefined ? '' : join(challengeDir, token);
      if (path === '' || !existsSync(path)) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200).end(readFileSync(path));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    ok('config', 'set', 'DomainName', 'example.test');
    ok('db', 'domains', 'set', 'example.test', 'domain');
    ok('db', 'hosts', 'set', 'www.example.test', 'host', 'HostType', 'Self');
    ok('config', 'set', 'httpd-e-smith', 'service', 'TCPPort', String(port));
    ok('config', 'set', 'letsencrypt', 'service', 'status', 'enabled', 'configure', 'all', 'CheckResolver', dns.server, 'PublicAddress', '127.0.0.1');
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
    await processes.stopAll();
    scratch?.remove();
  });

  /** The probe file never stays. */
  afterEach(() => {
    const dir = join(scratch.path, CHALLENGE_DIR);
    if (existsSync(dir)) assert.deepEqual(readdirSync(dir), []);
  });

  it('all good: a row per enabled name, exit 0, each recorded in the certificates db', async () => {
    const result = await check();
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /^name +result +detail$/m);
    assert.match(result.stdout, /^example\.test +OK +127\.0\.0\.1 serves the challenge path \(http:\/\/example\.test:\d+\/\.well-known\/acme-challenge\/…\)$/m);
    assert.match(result.stdout, /^www\.example\.test +OK +127\.0\.0\.1 serves/m);
    assert.match(result.stdout, /\ncheck: 2 of 2 names OK\n$/);
    const shown = ok('db', 'certificates', 'show');
    assert.match(shown, /^example\.test=name\n {4}Check=OK\n {4}CheckDetail=127\.0\.0\.1 serves the challenge path .*\n {4}CheckedAt=\d{4}-\d\d-\d\dT/m);
    assert.match(shown, /^www\.example\.test=name\n {4}Check=OK\n/m);
  });

  it('a name pointing elsewhere: its code and detail, cause and fix, exit 11; recorded', async () => {
    await dns.setA('www.example.test', ['127.0.0.2']);
    try {
      const result = await check();
      assert.equal(result.status, 11, result.stderr);
      assert.match(result.stdout, /^example\.test +OK /m);
      assert.match(result.stdout, /^www\.example\.test +E_DNS_WRONG_ADDRESS +resolves to 127\.0\.0\.2; this server has 127\.0\.0\.1$/m);
      assert.match(result.stdout, /\nE_DNS_WRONG_ADDRESS: www\.example\.test\n {2}cause: the name resolves, but not to this server's address\n {2}fix: {3}point its A\/AAAA record at this server/);
      assert.match(result.stdout, /\ncheck: 1 of 2 names OK\n$/);
      assert.match(ok('db', 'certificates', 'show', 'www.example.test'), /Check=E_DNS_WRONG_ADDRESS\n {4}CheckDetail=resolves to 127\.0\.0\.2; this server has 127\.0\.0\.1\n/);
      // the status shows the recorded preflight
      const status = await runAsync(scratch, 'smeconf', ['cert', 'status', '--json']);
      const row = (JSON.parse(status.stdout) as { names: { name: string; check: { code: string } | null }[] }).names.find((entry) => entry.name === 'www.example.test');
      assert.equal(row?.check?.code, 'E_DNS_WRONG_ADDRESS');
    } finally {
      await dns.setA('www.example.test', ['127.0.0.1']);
    }
  });

  it('names given: only those, enabled or not; --json', async () => {
    const result = await check('other.test', 'missing.test', '--json');
    assert.equal(result.status, 11, result.stderr);
    const body = JSON.parse(result.stdout) as Json;
    assert.equal(body.status, 'error');
    assert.deepEqual(body.names.map((entry) => [entry.name, entry.code, entry.addresses]), [['other.test', 'OK', ['127.0.0.1']], ['missing.test', 'E_DNS_NXDOMAIN', []]]);
    assert.equal(body.names[0]!.cause, undefined);
    assert.match(body.names[1]!.cause!, /no DNS record/);
    assert.match(body.names[1]!.fix!, /add an A\/AAAA record/);
    assert.match(ok('db', 'certificates', 'show', 'other.test'), /Check=OK/);
  });

  it('nothing on the HTTP port: E_ACME_HTTP01_UNREACHABLE; the challenge path answering 404: E_ACME_HTTP01_STATUS404', async () => {
    ok('config', 'setprop', 'httpd-e-smith', 'TCPPort', String(await freePort()));
    const unreachable = await check('example.test');
    ok('config', 'setprop', 'httpd-e-smith', 'TCPPort', String((server.address() as { port: number }).port));
    assert.equal(unreachable.status, 11);
    assert.match(unreachable.stdout, /^example\.test +E_ACME_HTTP01_UNREACHABLE +http:\/\/example\.test:\d+\/\.well-known\/acme-challenge\/… \(connecting to 127\.0\.0\.1:\d+\): ECONNREFUSED$/m);
    // another server on the port: Apache without the ACME alias
    const bare = createServer((_request, response) => response.writeHead(404).end());
    const port = await freePort();
    await new Promise<void>((resolve) => bare.listen(port, '127.0.0.1', resolve));
    try {
      ok('config', 'setprop', 'httpd-e-smith', 'TCPPort', String(port));
      const result = await check('example.test');
      assert.equal(result.status, 11);
      assert.match(result.stdout, /^example\.test +E_ACME_HTTP01_STATUS404 +http:\/\/example\.test:\d+\/\.well-known\/acme-challenge\/… answered 404$/m);
      assert.match(result.stdout, /\n {2}cause: the challenge URL \/\.well-known\/acme-challenge\/ answers HTTP status 404, not the token\n/);
    } finally {
      ok('config', 'setprop', 'httpd-e-smith', 'TCPPort', String((server.address() as { port: number }).port));
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('usage errors: a name that is not a DNS name, a bad --timeout (exit 2); a bad CheckResolver (exit 3)', async () => {
    const bad = await check('not a name');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^smeconf: "not a name" is not a DNS name \[E_USAGE\]$/m);
    const timeout = await check('--timeout', '0');
    assert.equal(timeout.status, 2);
    assert.match(timeout.stderr, /--timeout 0: expected a number of seconds.* \[E_USAGE\]$/m);
    ok('config', 'setprop', 'letsencrypt', 'CheckResolver', 'dns.example.test');
    try {
      const prop = await check();
      assert.equal(prop.status, 3);
      assert.match(prop.stderr, /^smeconf: letsencrypt CheckResolver "dns\.example\.test": expected comma-separated IP or IP:PORT.* \[E_DB_PROP_INVALID\]\n$/);
    } finally {
      ok('config', 'setprop', 'letsencrypt', 'CheckResolver', dns.server);
    }
  });
});
