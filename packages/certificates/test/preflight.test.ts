import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { join } from 'node:path';
import {
  CHALLENGE_DIR,
  canonicalAddress,
  dnsOutcome,
  localAddresses,
  matchingAddresses,
  parseAddressList,
  parseResolverServers,
  preflight,
} from '@smeconf/certificates';
import type { PreflightOptions, PreflightOutcome } from '@smeconf/certificates';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { CHALLTESTSRV, startMockDns } from '../../../test/helpers/mock-dns.ts';
import type { MockDns } from '../../../test/helpers/mock-dns.ts';
import { Processes, freePort } from '../../../test/helpers/processes.ts';

const fulfilled = (value: string[]): PromiseSettledResult<string[]> => ({ status: 'fulfilled', value });
const rejected = (code: string): PromiseSettledResult<string[]> => ({ status: 'rejected', reason: Object.assign(new Error(code), { code }) });

describe('preflight: the pure parts', () => {
  it('DNS answers: addresses (A first, once each), else SERVFAIL over TIMEOUT over NXDOMAIN', () => {
    assert.deepEqual(dnsOutcome(fulfilled(['192.0.2.1', '192.0.2.1']), fulfilled(['2001:db8::1'])), { addresses: ['192.0.2.1', '2001:db8::1'] });
    assert.deepEqual(dnsOutcome(rejected('ETIMEOUT'), fulfilled(['2001:db8::1'])), { addresses: ['2001:db8::1'] });
    const code = (a: PromiseSettledResult<string[]>, aaaa: PromiseSettledResult<string[]>) => {
      const result = dnsOutcome(a, aaaa);
      return 'code' in result ? result.code : 'addresses';
    };
    assert.equal(code(rejected('ENODATA'), rejected('ENOTFOUND')), 'E_DNS_NXDOMAIN');
    assert.equal(code(fulfilled([]), rejected('ENODATA')), 'E_DNS_NXDOMAIN');
    assert.equal(code(rejected('ENODATA'), rejected('ESERVFAIL')), 'E_DNS_SERVFAIL');
    assert.equal(code(rejected('EREFUSED'), rejected('ETIMEOUT')), 'E_DNS_SERVFAIL');
    assert.equal(code(rejected('ENODATA'), rejected('ETIMEOUT')), 'E_DNS_TIMEOUT');
    assert.equal(code(rejected('ECANCELLED'), rejected('ECANCELLED')), 'E_DNS_TIMEOUT');
    assert.equal(code(rejected('ECONNREFUSED'), rejected('ECONNREFUSED')), 'E_DNS_TIMEOUT');
  });

  it("this server's addresses: exact addresses, one spelling per address", () => {
    assert.deepEqual(matchingAddresses(['127.0.0.2'], ['127.0.0.1']), []);
    assert.deepEqual(matchingAddresses(['127.0.0.2', '127.0.0.1'], ['127.0.0.1']), ['127.0.0.1']);
    assert.deepEqual(matchingAddresses(['2001:db8:0:0::1'], ['2001:DB8::1']), ['2001:db8:0:0::1']);
    assert.equal(canonicalAddress('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalAddress('example.test'), undefined);
    assert.ok(localAddresses().includes('127.0.0.1'));
  });

  it('the props: PublicAddress is IPs, CheckResolver is IP, IP:PORT or [IPv6]:PORT', () => {
    assert.deepEqual(parseAddressList(' 192.0.2.1, 2001:DB8::1 '), ['192.0.2.1', '2001:db8::1']);
    assert.equal(parseAddressList('192.0.2.1, example.test'), undefined);
    assert.deepEqual(parseResolverServers('127.0.0.1:8053, 192.0.2.53,[::1]:53,2001:db8::53'), ['127.0.0.1:8053', '192.0.2.53', '[::1]:53', '2001:db8::53']);
    for (const bad of ['dns.example.test', '127.0.0.1:0', '127.0.0.1:65536', '::1:53x', '[example]:53']) assert.equal(parseResolverServers(bad), undefined, bad);
  });
});

/**
 * Stands in for Apache: serves the challenge directory for most names, and
 * misbehaves for some, chosen by the Host header. Records each probe file's
 * mode as it serves it.
 */
function apacheLike(challengeDir: string, https: { readonly port: () => number }, modes: number[]) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const token = /^\/\.well-known\/acme-challenge\/([\w-]+)$/.exec(request.url ?? '')?.[1];
    const send = (status: number, body = '', headers: Record<string, string> = {}) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    if (host === 'hang.test') return; // accepts, never answers
    if (host === 'missing.test') return send(404, 'not found');
    if (host === 'elsewhere.test') return send(302, '', { Location: 'http://other.test/.well-known/acme-challenge/x' });
    if (host === 'loop.test') return send(301, '', { Location: request.url ?? '/' });
    if (host === 'catchall.test') return send(200, '<html>a shop</html>');
    if (host === 'tohttps.test' && !(request.socket as { encrypted?: boolean }).encrypted) {
      return send(301, '', { Location: `https://tohttps.test:${https.port()}${request.url ?? '/'}` });
    }
    const path = token === undefined ? undefined : join(challengeDir, token);
    if (path === undefined || !existsSync(path)) return send(404, 'no such file');
    modes.push(statSync(path).mode & 0o777);
    return send(200, `${readFileSync(path, 'utf8')}\n`);
  };
}

const listen = (server: Server, port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('preflight: against pebble-challtestsrv and an HTTP server', function () {
  this.timeout(30_000);
  const processes = new Processes();
  const servers: Server[] = [];
  const modes: number[] = [];
  let dir: TempDir;
  let dns: MockDns;
  let root: string;
  let challengeDir: string;
  let httpPort: number;
  let httpsPort: number;

  before(async function () {
    if (!existsSync(CHALLTESTSRV)) {
      console.error(`SKIPPED: ${CHALLTESTSRV} is not installed (apt-get install pebble)`);
      this.skip();
    }
    dir = makeTempDir('smeconf-preflight-');
    root = join(dir.path, 'root');
    mkdirSync(root);
    challengeDir = join(root, CHALLENGE_DIR);
    dns = await startMockDns(dir.path, processes);
    const names = ['ok.test', 'www.ok.test', 'missing.test', 'elsewhere.test', 'loop.test', 'catchall.test', 'tohttps.test', 'hang.test'];
    for (const name of names) await dns.setA(name, ['127.0.0.1']);
    await dns.setAAAA('v6only.test', ['2001:db8::1']);
    await dns.setA('wrong.test', ['127.0.0.2']);
    await dns.servfail('servfail.test');
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    const key = join(dir.path, 'tls.key');
    const crt = join(dir.path, 'tls.crt');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=tohttps.test', '-keyout', key, '-out', crt], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const handler = apacheLike(challengeDir, { port: () => httpsPort }, modes);
    const http = createServer(handler);
    const https = createTlsServer({ key: readFileSync(key), cert: readFileSync(crt) }, handler);
    servers.push(http, https);
    await listen(http, httpPort);
    await listen(https, httpsPort);
  });

  after(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map(close));
    await processes.stopAll();
    dir?.remove();
  });

  const options = (names: readonly string[], overrides: Partial<PreflightOptions> = {}): PreflightOptions => ({
    names,
    resolverServers: [dns.server],
    serverAddresses: ['127.0.0.1'],
    httpPort,
    httpsPort,
    challengeDir,
    root,
    timeoutMs: 8_000,
    ...overrides,
  });

  const codes = (outcomes: readonly PreflightOutcome[]) => Object.fromEntries(outcomes.map((outcome) => [outcome.name, outcome.code]));

  /** The probe file is never left behind. */
  afterEach(() => {
    if (existsSync(challengeDir)) assert.deepEqual(readdirSync(challengeDir), []);
  });

  it('each name gets its code, in the names order; the challenge dir is made 0755, the probe served 0644 and removed', async () => {
    const names = ['ok.test', 'www.ok.test', 'nxdomain.test', 'v6only.test', 'wrong.test', 'servfail.test', 'missing.test', 'elsewhere.test', 'catchall.test', 'tohttps.test', 'loop.test'];
    const outcomes = await preflight(options(names));
    assert.deepEqual(outcomes.map((outcome) => outcome.name), names);
    assert.deepEqual(codes(outcomes), {
      'ok.test': 'OK',
      'www.ok.test': 'OK',
      'nxdomain.test': 'E_DNS_NXDOMAIN',
      'v6only.test': 'E_DNS_WRONG_ADDRESS',
      'wrong.test': 'E_DNS_WRONG_ADDRESS',
      'servfail.test': 'E_DNS_SERVFAIL',
      'missing.test': 'E_ACME_HTTP01_STATUS404',
      'elsewhere.test': 'E_ACME_HTTP01_REDIRECTED',
      'catchall.test': 'E_ACME_HTTP01_WRONG_CONTENT',
      'tohttps.test': 'OK',
      'loop.test': 'E_ACME_HTTP01_STATUS301',
    });
    const byName = new Map(outcomes.map((outcome) => [outcome.name, outcome]));
    assert.deepEqual(byName.get('wrong.test')!.addresses, ['127.0.0.2']);
    assert.equal(byName.get('wrong.test')!.detail, 'resolves to 127.0.0.2; this server has 127.0.0.1');
    assert.match(byName.get('elsewhere.test')!.detail, /redirects to another host: http:\/\/other\.test$/);
    assert.match(byName.get('missing.test')!.detail, /answered 404$/);
    assert.equal(statSync(challengeDir).mode & 0o777, 0o755);
    assert.ok(modes.length > 0 && modes.every((mode) => mode === 0o644), `modes served: ${modes.map((mode) => mode.toString(8)).join(' ')}`);
  });

  it('nothing listening on the HTTP port: E_ACME_HTTP01_UNREACHABLE', async () => {
    const outcomes = await preflight(options(['ok.test'], { httpPort: await freePort() }));
    assert.equal(outcomes[0]!.code, 'E_ACME_HTTP01_UNREACHABLE');
    assert.match(outcomes[0]!.detail, /ECONNREFUSED/);
  });

  it('an HTTP server that never answers: E_ACME_HTTP01_UNREACHABLE at the deadline', async () => {
    const outcomes = await preflight(options(['hang.test', 'ok.test'], { timeoutMs: 1_500 }));
    assert.deepEqual(codes(outcomes), { 'hang.test': 'E_ACME_HTTP01_UNREACHABLE', 'ok.test': 'OK' });
  });

  it('a dead DNS server: E_DNS_TIMEOUT for every one of 100 names, the run bounded by its timeout', async () => {
    const silent: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const names = Array.from({ length: 100 }, (_, i) => `n${i}.test`);
      const outcomes = await preflight(options(names, { resolverServers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 1_000, concurrency: 10 }));
      assert.deepEqual(new Set(outcomes.map((outcome) => outcome.code)), new Set(['E_DNS_TIMEOUT']));
      assert.equal(outcomes.length, 100);
    } finally {
      silent.close();
    }
  });

  it('not a DNS name: E_DNS_NXDOMAIN, never asked', async () => {
    const outcomes = await preflight(options(['bad name.test']));
    assert.equal(outcomes[0]!.code, 'E_DNS_NXDOMAIN');
    assert.match(outcomes[0]!.detail, /is not a DNS name/);
  });

  it('a challenge dir leading out of the root: E_ACME_HTTP01_CHALLENGE_DIR, nothing made outside', async () => {
    const other = join(dir.path, 'elsewhere-root');
    const outside = join(dir.path, 'outside');
    mkdirSync(join(other, 'home/e-smith/files/ibays/Primary/html'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(other, 'home/e-smith/files/ibays/Primary/html/.well-known'));
    const outcomes = await preflight(options(['ok.test', 'nxdomain.test'], { root: other, challengeDir: join(other, CHALLENGE_DIR) }));
    assert.deepEqual(codes(outcomes), { 'ok.test': 'E_ACME_HTTP01_CHALLENGE_DIR', 'nxdomain.test': 'E_DNS_NXDOMAIN' });
    assert.match(outcomes[0]!.detail, /leads outside the root/);
    assert.deepEqual(readdirSync(outside), []);
  });
});
