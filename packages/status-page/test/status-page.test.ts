import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateStatus } from '@smeconf/certificates';
import { FormTokens, html, listenStatusPage, readRecentEvents, sameOriginProblem, statusPageSettings } from '@smeconf/status-page';
import type { RunningStatusPage } from '@smeconf/status-page';
import { call } from '../../../test/helpers/http-call.ts';

// The library on its own: a real server on 127.0.0.1, the status and the
// preflight as functions of the test (the bin with the real ones:
// test/serve.test.ts, test/status-page.test.ts).

const TOKEN = 'library-test-token-0123456789';


const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function statusWith(check: { code: string; at: string } | null, detail = 'resolves to 127.0.0.2'): CertificateStatus {
  const failing = check !== null && check.code !== 'OK';
  return {
    status: failing ? 'error' : 'ok',
    names: [{ name: 'example.test', inCertificate: true, served: 'match', codes: failing ? [check.code] : [], check: check === null ? null : { ...check, detail }, skipped: false, lastAttempt: null }],
    certificate: null,
    lastRun: null,
    findings: failing ? [{ code: check.code, severity: 'error', name: 'example.test', detail, cause: 'the cause', fix: 'the fix' }] : [],
  };
}

describe('@smeconf/status-page', function () {
  let page: RunningStatusPage;
  let current: CertificateStatus;
  let preflights = 0;
  let now = new Date('2030-01-01T00:00:00Z');
  const logged: string[] = [];

  before(async () => {
    page = await listenStatusPage({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      recheckSeconds: 60,
      status: async () => current,
      preflight: async () => {
        preflights++;
        current = statusWith({ code: 'E_DNS_WRONG_ADDRESS', at: now.toISOString() }, '<script>alert(1)</script> resolves elsewhere');
      },
      events: async () => [{ time: '2030-01-01T00:00:00.000Z', what: 'certificate renew', level: 'error', code: 'E_CA_CURL7', detail: '<img src=x onerror=alert(1)>' }],
      log: (line) => logged.push(line),
      now: () => now,
    });
  });

  after(() => page.close());

  it('refuses a request without the token: 401, WWW-Authenticate Basic, the security headers', async () => {
    for (const headers of [{}, { authorization: basic('admin', 'wrong') }, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }]) {
      const reply = await call(page.url, { headers });
      assert.equal(reply.status, 401);
      assert.equal(reply.headers['www-authenticate'], 'Basic realm="smeconf status page", charset="UTF-8"');
      assert.equal(reply.headers['content-security-policy'], "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      assert.doesNotMatch(reply.body, /example\.test/);
    }
  });

  it('with the token (Basic, any user; or Bearer): the page, re-checked on the first load, values escaped', async () => {
    current = statusWith(null);
    const reply = await call(page.url, { headers: { authorization: basic('anyone', TOKEN) } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(reply.headers['cache-control'], 'no-store');
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.equal(reply.headers['referrer-policy'], 'same-origin');
    assert.equal(preflights, 1);
    assert.match(reply.body, /<tr class="name-row" data-name="example\.test" data-status="error" data-codes="E_DNS_WRONG_ADDRESS">/);
    assert.match(reply.body, /&#60;script&#62;alert\(1\)&#60;\/script&#62; resolves elsewhere/);
    assert.match(reply.body, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.doesNotMatch(reply.body, /<script|<img/);
    assert.doesNotMatch(reply.body, new RegExp(TOKEN));
    const bearer = await call(page.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bearer.status, 200);
    assert.equal(preflights, 1, 'a load within RecheckSeconds shows the recorded preflight');
    now = new Date(now.getTime() + 60_000);
    await call(page.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(preflights, 2, 'a load after RecheckSeconds re-runs it');
  });

  it('"check again": same origin and the page token, then the preflight and 303 to ./', async () => {
    const auth = { authorization: basic('admin', TOKEN) };
    const body = (await call(page.url, { headers: auth })).body;
    const token = /name="form_token" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const form = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
    const post = (headers: Record<string, string>, formBody: string) => call(`${page.url}check`, { method: 'POST', headers: { ...form, ...headers }, body: formBody });
    const origin = page.url.replace(/\/$/, '');
    const before = preflights;
    assert.equal((await post({}, `form_token=${token}`)).status, 403, 'no Origin, no Sec-Fetch-Site');
    assert.equal((await post({ origin: 'http://evil.example' }, `form_token=${token}`)).status, 403);
    assert.equal((await post({ origin, 'sec-fetch-site': 'cross-site' }, `form_token=${token}`)).status, 403);
    assert.equal((await post({ origin }, 'form_token=1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 403);
    assert.equal((await post({ origin }, '')).status, 403);
    assert.equal(preflights, before);
    const done = await post({ origin, 'sec-fetch-site': 'same-origin' }, `form_token=${encodeURIComponent(token)}`);
    assert.deepEqual([done.status, done.headers.location], [303, './']);
    assert.equal(preflights, before + 1);
    const proxied = await post({ origin: 'https://www.example.test', 'x-forwarded-host': 'www.example.test' }, `form_token=${token}`);
    assert.equal(proxied.status, 303, 'behind Apache: the Origin is the forwarded host');
    assert.equal((await call(`${page.url}check`, { method: 'POST', headers: { ...form, origin }, body: `form_token=${'x'.repeat(5000)}` })).status, 413);
  });

  it('style.css, 404, 405', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const css = await call(`${page.url}style.css`, { headers: auth });
    assert.deepEqual([css.status, css.headers['content-type']], [200, 'text/css; charset=utf-8']);
    assert.equal((await call(`${page.url}nope`, { headers: auth })).status, 404);
    const wrong = await call(`${page.url}check`, { headers: auth });
    assert.deepEqual([wrong.status, wrong.headers.allow], [405, 'POST']);
  });

  it('a status that fails: 500 with its one line, logged', async () => {
    const failing = await listenStatusPage({
      host: '127.0.0.1', port: 0, token: TOKEN, recheckSeconds: 60, log: (line) => logged.push(line),
      status: () => Promise.reject(Object.assign(new Error('database busy'), { code: 'E_DB_BUSY' })),
      preflight: async () => undefined, events: async () => [],
    });
    try {
      const reply = await call(failing.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.deepEqual([reply.status, reply.body], [500, '500: database busy\n']);
      assert.deepEqual(logged.at(-1), 'GET /: database busy');
    } finally {
      await failing.close();
    }
  });

  it('html`` escapes every value; a nested html`` stays markup', () => {
    assert.equal(html`<p title="${'"x" & \'y\''}">${'<b>'}${html`<i>${'<u>'}</i>`}${[1, '<', null]}</p>`.text, '<p title="&#34;x&#34; &#38; &#39;y&#39;">&#60;b&#62;<i>&#60;u&#62;</i>1&#60;</p>');
  });

  it('form tokens: valid for this process and two hours', () => {
    const forms = new FormTokens();
    const at = new Date('2030-01-01T00:00:00Z');
    const token = forms.issue(at);
    assert.equal(forms.verify(token, at), undefined);
    assert.match(forms.verify(token, new Date(at.getTime() + 3 * 3600_000)) ?? '', /too old/);
    assert.match(new FormTokens().verify(token, at) ?? '', /no valid page token/);
    assert.match(forms.verify(token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), at) ?? '', /no valid page token/);
  });

  it('same origin: Sec-Fetch-Site, Origin against Host or the last X-Forwarded-Host', () => {
    assert.equal(sameOriginProblem({ 'sec-fetch-site': 'same-origin' }), undefined);
    assert.equal(sameOriginProblem({ origin: 'http://127.0.0.1:8089', host: '127.0.0.1:8089' }), undefined);
    assert.equal(sameOriginProblem({ origin: 'https://a.test', host: '127.0.0.1:8089', 'x-forwarded-host': 'evil.test, a.test' }), undefined);
    assert.match(sameOriginProblem({ origin: 'https://evil.test', host: '127.0.0.1:8089', 'x-forwarded-host': 'a.test' }) ?? '', /another origin/);
    assert.match(sameOriginProblem({ origin: 'null', host: 'null' }) ?? '', /another origin/);
    assert.match(sameOriginProblem({ 'sec-fetch-site': 'same-site', origin: 'http://a.test', host: 'a.test' }) ?? '', /another site/);
  });

  it('recent events: runs and renewals, newest first, handler lines and junk skipped, a missing log empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'status-page-'));
    try {
      const log = join(dir, 'events.log');
      writeFileSync(log, [
        JSON.stringify({ time: 't1', event: 'console-save', args: [], handler: 'S00x', status: 'ok', ms: 1, output: '' }),
        JSON.stringify({ time: 't2', event: 'console-save', args: [], ok: true, ms: 5, failed: [] }),
        'not json',
        JSON.stringify({ time: 't3', certificate: 'renew', result: 'failed', code: 'E_CA_CURL7', detail: 'curl returned with 7', names: ['a.test', 'b.test'] }),
        JSON.stringify({ time: 't4', event: 'domain-create', args: ['x.test'], ok: false, ms: 5, failed: ['S10y'] }),
        JSON.stringify({ time: 't5', certificate: 'expiry', result: 'warning', code: 'E_CERT_RENEWAL_FAILING', daysLeft: 3, detail: 'renewal failed' }),
        '',
      ].join('\n'));
      assert.deepEqual(await readRecentEvents(log, 10), [
        { time: 't5', what: 'certificate expiry', level: 'warning', code: 'E_CERT_RENEWAL_FAILING', detail: 'renewal failed' },
        { time: 't4', what: 'event domain-create x.test', level: 'error', code: '', detail: 'failed: S10y' },
        { time: 't3', what: 'certificate renew', level: 'error', code: 'E_CA_CURL7', detail: 'curl returned with 7; names: a.test b.test' },
        { time: 't2', what: 'event console-save', level: 'ok', code: '', detail: '' },
      ]);
      assert.equal((await readRecentEvents(log, 1)).length, 1);
      assert.deepEqual(await readRecentEvents(join(dir, 'missing.log'), 10), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('settings: the defaults, the flags, and a one-line coded error for each bad value', () => {
    const props = (entries: Record<string, string>) => new Map(Object.entries(entries));
    assert.deepEqual(statusPageSettings(props({ Token: TOKEN })), { token: TOKEN, host: '127.0.0.1', port: 8089, recheckSeconds: 60 });
    assert.deepEqual(statusPageSettings(props({ Token: TOKEN, TCPPort: '9000', ListenAddress: '[::1]', RecheckSeconds: '5' }), { port: 0 }), { token: TOKEN, host: '::1', port: 0, recheckSeconds: 5 });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'none';
    };
    assert.equal(code(() => statusPageSettings(undefined)), 'E_SERVE_NO_TOKEN');
    assert.equal(code(() => statusPageSettings(props({}))), 'E_SERVE_NO_TOKEN');
    assert.equal(code(() => statusPageSettings(props({ Token: 'short' }))), 'E_SERVE_NO_TOKEN');
    assert.equal(code(() => statusPageSettings(props({ Token: TOKEN, TCPPort: '80a' }))), 'E_DB_PROP_INVALID');
    assert.equal(code(() => statusPageSettings(props({ Token: TOKEN, ListenAddress: 'localhost' }))), 'E_DB_PROP_INVALID');
    assert.equal(code(() => statusPageSettings(props({ Token: TOKEN, RecheckSeconds: '-1' }))), 'E_DB_PROP_INVALID');
    assert.equal(code(() => statusPageSettings(props({ Token: TOKEN }), { bind: 'example.test' })), 'E_USAGE');
    assert.equal(code(() => statusPageSettings(props({ Token: TOKEN }), { port: 70000 })), 'E_USAGE');
  });
});
