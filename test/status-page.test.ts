import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer as createTlsServer } from 'node:tls';
import type { Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { REPO, binPath, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { CHALLTESTSRV, startMockDns } from './helpers/mock-dns.ts';
import type { MockDns } from './helpers/mock-dns.ts';
import { Processes, waitFor } from './helpers/processes.ts';

// The status page of `smeconf serve` (issue #13, surface 6) in Debian's
// chromium, headless, driven by playwright-core: the bin as a real process
// on a scratch root, pebble-challtestsrv as the preflight's DNS, a node
// server for the challenge path and a node:tls server standing in for
// Apache's HTTPS port, all on 127.0.0.1. Saves test-output/status-page.png.

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-token-0123456789abcdef';
const NAMES = ['example.test', 'www.example.test'];
const CERTS = 'etc/certs';
const CHALLENGE_DIR = 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge';
const INJECTED = `<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">`;
const CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function openssl(cwd: string, ...args: string[]): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, `openssl ${args.join(' ')}\n${result.stderr}`);
}

function ok(scratch: Scratch, bin: 'db' | 'config', ...args: string[]): void {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, result.stderr);
}

const listening = <T extends HttpServer | TlsServer>(server: T) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('the status page in chromium', function () {
  this.timeout(60_000);
  const processes = new Processes();
  const servers: (HttpServer | TlsServer)[] = [];
  let scratch: Scratch | undefined;
  let browser: Browser | undefined;
  let dns: MockDns;
  let url: string;

  before(async function () {
    for (const program of [CHROMIUM, CHALLTESTSRV]) {
      if (!existsSync(program)) {
        console.error(`\n*** SKIPPING the status page browser test: ${program} is not installed (apt-get install ${basename(program) === 'chromium' ? 'chromium' : 'pebble'}) ***\n`);
        this.skip();
      }
    }
    scratch = makeScratch('sqlite');
    const R = scratch.path;
    const certs = join(R, CERTS);
    mkdirSync(certs, { recursive: true });
    openssl(certs, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=Page Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    writeFileSync(join(certs, 'leaf.ext'), `subjectAltName=${NAMES.map((name) => `DNS:${name}`).join(',')}\nbasicConstraints=CA:FALSE\n`);
    openssl(certs, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${NAMES[0]}`);
    openssl(certs, 'x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '0x5151', '-days', '90', '-extfile', 'leaf.ext', '-out', 'leaf.crt');
    writeFileSync(join(certs, 'chain.pem'), '');

    dns = await startMockDns(R, processes);
    for (const name of NAMES) await dns.setA(name, ['127.0.0.1']);
    // Apache's port 80 for the preflight's probe: the challenge directory, as the ACME alias serves it
    const challenge = createHttpServer((request, response) => {
      const token = /^\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]+)$/.exec(request.url ?? '')?.[1];
      const file = token === undefined ? undefined : join(R, CHALLENGE_DIR, token);
      if (file === undefined || !existsSync(file)) return void response.writeHead(404).end('not found');
      response.end(readFileSync(file));
    });
    // Apache's HTTPS port: serves the deployed certificate for every name
    const https = createTlsServer({ cert: readFileSync(join(certs, 'leaf.crt')), key: readFileSync(join(certs, 'leaf.key')) });
    servers.push(challenge, https);
    const [httpPort, httpsPort] = [await listening(challenge), await listening(https)];

    ok(scratch, 'config', 'set', 'DomainName', 'example.test');
    ok(scratch, 'config', 'set', 'SystemName', 'box');
    ok(scratch, 'db', 'domains', 'set', 'example.test', 'domain');
    ok(scratch, 'db', 'hosts', 'set', 'www.example.test', 'host', 'HostType', 'Self');
    ok(scratch, 'config', 'set', 'letsencrypt', 'service', 'status', 'enabled', 'configure', 'all', 'CABundle', join(R, CERTS, 'ca.crt'), 'CheckResolver', dns.server);
    ok(scratch, 'config', 'set', 'httpd-e-smith', 'service', 'TCPPort', String(httpPort));
    ok(scratch, 'config', 'set', 'modSSL', 'service', 'status', 'enabled', 'TCPPort', String(httpsPort),
      'crt', join(R, CERTS, 'leaf.crt'), 'key', join(R, CERTS, 'leaf.key'), 'CertificateChainFile', join(R, CERTS, 'chain.pem'));
    ok(scratch, 'config', 'set', 'statuspage', 'service', 'Token', TOKEN, 'RecheckSeconds', '3600');
    // what the CA and the event log could carry: shown as text, never as markup
    ok(scratch, 'db', 'certificates', 'set', 'lastrun', 'run', 'Started', '2030-01-01T00:00:00.000Z', 'Finished', '2030-01-01T00:00:05.000Z', 'Result', 'failed', 'Code', 'E_CA_UNAUTHORIZED', 'Detail', INJECTED);
    mkdirSync(join(R, 'var/log/smeconf'), { recursive: true });
    writeFileSync(join(R, 'var/log/smeconf/events.log'), [
      { time: '2030-01-01T00:00:00.000Z', event: 'console-save', args: [], ok: true, ms: 900, failed: [] },
      { time: '2030-01-01T00:00:05.000Z', certificate: 'renew', result: 'failed', code: 'E_CA_UNAUTHORIZED', detail: INJECTED, names: NAMES },
    ].map((entry) => `${JSON.stringify(entry)}\n`).join(''));

    const serve: ChildProcess = processes.start([process.execPath, binPath('smeconf'), 'serve', '--port', '0'], join(R, 'serve.log'), scratch.env);
    url = await waitFor('smeconf serve to listen', () => {
      if (serve.exitCode !== null) throw new Error(readFileSync(join(R, 'serve.log'), 'utf8'));
      return / is at (http:\/\/\S+\/) /.exec(readFileSync(join(R, 'serve.log'), 'utf8'))?.[1] ?? '';
    });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    console.log(`      chromium ${browser.version()} (playwright-core, headless)`);
  });

  after(async () => {
    await browser?.close();
    await processes.stopAll();
    for (const server of servers) server.close();
    scratch?.remove();
  });

  /** Each row's [name, data-status, codes cell text]. */
  const rows = async (page: Page) =>
    Promise.all((await page.locator('tr.name-row').all()).map(async (tr) => [await tr.getAttribute('data-name'), await tr.getAttribute('data-status'), (await tr.locator('td.codes').textContent())?.trim()]));

  it('without the token: 401 with a Basic challenge, which headless chromium cannot answer', async () => {
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      await assert.rejects(page.goto(url), /net::ERR_INVALID_AUTH_CREDENTIALS/);
      const response = await page.request.get(url);
      assert.equal(response.status(), 401);
      assert.equal(response.headers()['www-authenticate'], 'Basic realm="smeconf status page", charset="UTF-8"');
      assert.doesNotMatch(await response.text(), /example\.test/);
    } finally {
      await context.close();
    }
  });

  it('with it: the rows (the first load runs the preflight), the CSP, values escaped; "check again" after a DNS change shows E_DNS_WRONG_ADDRESS', async () => {
    const context = await browser!.newContext({ httpCredentials: { username: 'admin', password: TOKEN } });
    const violations: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const response = await page.goto(url);
      assert.equal(response?.status(), 200);
      assert.equal(response.headers()['content-security-policy'], CSP);
      assert.deepEqual(await rows(page), NAMES.map((name) => [name, 'ok', 'OK']));
      assert.equal(await page.locator('#overall').getAttribute('data-status'), 'ok');
      assert.match((await page.locator('tr.name-row td.check').first().textContent()) ?? '', /^OK \d{4}-/);
      // the stylesheet came through the CSP (style-src 'self') with the same credentials
      assert.equal(await page.evaluate<string>("getComputedStyle(document.querySelector('header')).backgroundColor"), 'rgb(36, 41, 47)');

      // injected markup is text: no script element, the title untouched, the text shown as is
      assert.equal(await page.locator('script, img').count(), 0);
      assert.equal(await page.title(), 'HTTPS certificate status');
      assert.ok(((await page.locator('#last-run').textContent()) ?? '').includes(INJECTED));
      assert.ok(((await page.locator('tr.event-row[data-level="error"] td.detail').textContent()) ?? '').startsWith(INJECTED));

      // the certificate's details, on demand
      assert.equal(await page.locator('dd[data-field="serial"]').isVisible(), false);
      await page.locator('details#certificate summary').click();
      assert.equal(await page.locator('dd[data-field="serial"]').textContent(), '5151');
      assert.equal(await page.locator('dd[data-field="chain"]').textContent(), `verified (${join(scratch!.path, CERTS, 'chain.pem')})`);

      // www.example.test now points elsewhere; check again
      await dns.setA('www.example.test', ['127.0.0.2']);
      await page.locator('#check-again').click();
      await page.locator('tr.name-row[data-name="www.example.test"][data-codes~="E_DNS_WRONG_ADDRESS"]').waitFor();
      assert.deepEqual(await rows(page), [['example.test', 'ok', 'OK'], ['www.example.test', 'error', 'E_DNS_WRONG_ADDRESS']]);
      const finding = page.locator('tr.findings-row[data-name="www.example.test"] .finding[data-code="E_DNS_WRONG_ADDRESS"]');
      assert.match((await finding.locator('.detail').textContent()) ?? '', /127\.0\.0\.2/);
      assert.match((await finding.locator('.cause').textContent()) ?? '', /^cause: the name resolves, but not to this server's address$/);
      assert.match((await finding.locator('.fix').textContent()) ?? '', /^fix: point its A\/AAAA record at this server/);
      assert.equal(await page.locator('#overall').getAttribute('data-status'), 'error');
      await page.locator('details#certificate summary').click();
      mkdirSync(join(REPO, 'test-output'), { recursive: true });
      await page.screenshot({ path: join(REPO, 'test-output/status-page.png'), fullPage: true });
      assert.deepEqual(violations, []);
    } finally {
      await context.close();
    }
  });
});
