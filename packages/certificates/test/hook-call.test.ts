import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { domainsTxtNames, hookCall } from '@smeconf/certificates';
import type { CertificateFacts, CertificateRecords, HookRecords, NameRecord } from '@smeconf/certificates';

/** dehydrated 0.7.0's hook calls, recorded against pebble (see the file's _comment). */
const RECORDED = JSON.parse(readFileSync(new URL('./fixtures/dehydrated-0.7.0-hook-calls.json', import.meta.url), 'utf8')) as Record<string, string[][]>;
const NAMES = ['example.test', 'www.example.test', 'odoo.example.test'];
const FACTS: CertificateFacts = { names: NAMES, notAfter: '2027-02-25T14:43:00.000Z' };

/**
 * Plays a sequence of hook calls as the CLI does (read the records, decide,
 * write attempts and the run), one second apart; what was recorded, the
 * event-log lines and the warnings.
 */
function play(calls: readonly (readonly string[])[], options: { records?: CertificateRecords; facts?: CertificateFacts; runNames?: readonly string[]; start?: string } = {}) {
  let records: CertificateRecords = options.records ?? { names: new Map(), lastRun: undefined };
  const events: HookRecords['event'][] = [];
  const warnings: string[] = [];
  let clock = Date.parse(options.start ?? '2026-11-27T12:00:00.000Z');
  for (const call of calls) {
    const now = new Date((clock += 1000));
    const result = hookCall({ call, records, runNames: options.runNames ?? NAMES, certificate: options.facts ?? FACTS, now });
    const names = new Map<string, NameRecord>(records.names);
    for (const attempt of result.attempts) {
      names.set(attempt.name, { name: attempt.name, skipped: false, attempt: { at: now.toISOString(), result: attempt.result, code: attempt.code, detail: attempt.detail } });
    }
    records = { names, lastRun: result.run ?? records.lastRun };
    if (result.event !== undefined) events.push(result.event);
    warnings.push(...result.warnings);
  }
  const attempts = Object.fromEntries([...records.names].map(([name, record]) => [name, [record.attempt!.result, record.attempt!.code]]));
  return { records, attempts, events, warnings };
}

describe('one call of dehydrated\'s hook → what the certificates database records', () => {
  it('a first issuance: the run ok, each name of the certificate ok, one event line', () => {
    const { records, attempts, events } = play(RECORDED['first-issuance']!);
    assert.deepEqual(records.lastRun, { started: '2026-11-27T12:00:02.000Z', finished: '2026-11-27T12:00:13.000Z', result: 'ok', code: 'OK', detail: '', names: NAMES });
    assert.deepEqual(attempts, { 'example.test': ['ok', 'OK'], 'www.example.test': ['ok', 'OK'], 'odoo.example.test': ['ok', 'OK'] });
    assert.equal(records.names.get('www.example.test')!.attempt!.detail, 'valid until 2027-02-25T14:43:00.000Z');
    assert.deepEqual(events, [{ certificate: 'renew', result: 'ok', code: 'OK', detail: '', names: NAMES }]);
  });

  it('a run with nothing to renew: unchanged', () => {
    const { records, attempts, events } = play(RECORDED['unchanged']!);
    assert.equal(records.lastRun!.result, 'unchanged');
    assert.deepEqual(attempts, { 'example.test': ['unchanged', 'OK'], 'www.example.test': ['unchanged', 'OK'], 'odoo.example.test': ['unchanged', 'OK'] });
    assert.deepEqual(events.map((event) => event!.result), ['unchanged']);
  });

  it('a failed challenge where ALTNAME is the wrong name: the failed name from the result, the others failed with it', () => {
    const { records, attempts, events } = play(RECORDED['challenge-404']!);
    assert.deepEqual(attempts, {
      'www.example.test': ['failed', 'E_ACME_HTTP01_STATUS404'],
      'example.test': ['failed', 'E_ACME_HTTP01_STATUS404'],
      'odoo.example.test': ['failed', 'E_ACME_HTTP01_STATUS404'],
    });
    assert.match(records.names.get('www.example.test')!.attempt!.detail, /^urn:ietf:params:acme:error:unauthorized: Non-200 status code from HTTP: http:\/\/www\.example\.test:\d+\/.* returned 404$/);
    assert.match(records.names.get('odoo.example.test')!.attempt!.detail, /^the run failed on www\.example\.test: urn:ietf:params:acme:error:unauthorized: /);
    assert.deepEqual([records.lastRun!.result, records.lastRun!.code], ['failed', 'E_ACME_HTTP01_STATUS404']);
    assert.equal(records.lastRun!.detail, records.names.get('www.example.test')!.attempt!.detail);
    assert.deepEqual(events.map((event) => [event!.result, event!.code]), [['failed', 'E_ACME_HTTP01_STATUS404']]);
  });

  it('the CA unreachable: exit_hook with curl\'s message and no startup_hook before it', () => {
    assert.deepEqual(RECORDED['ca-unreachable']!.map((call) => call[0]), ['exit_hook']);
    const earlier = play(RECORDED['first-issuance']!).records;
    const { records, attempts, events } = play(RECORDED['ca-unreachable']!, { records: earlier, start: '2026-11-28T12:00:00.000Z' });
    assert.deepEqual(records.lastRun, {
      started: '2026-11-28T12:00:01.000Z', finished: '2026-11-28T12:00:01.000Z', result: 'failed', code: 'E_CA_CURL7',
      detail: 'Problem connecting to server (get for https://127.0.0.1:1/dir; curl returned with 7)', names: NAMES,
    });
    assert.deepEqual(attempts, { 'example.test': ['failed', 'E_CA_CURL7'], 'www.example.test': ['failed', 'E_CA_CURL7'], 'odoo.example.test': ['failed', 'E_CA_CURL7'] });
    assert.equal(events[0]!.code, 'E_CA_CURL7');
  });

  it('request_failure, then exit_hook with an empty message: the CA\'s problem is the run\'s', () => {
    const { records, attempts } = play(RECORDED['ca-request-failure']!);
    assert.deepEqual([records.lastRun!.result, records.lastRun!.code, records.lastRun!.detail], ['failed', 'E_CA_REQUEST_FAILED', 'HTTP 400 (post): urn:ietf:params:acme:error:malformed: Key ID (kid) in JWS header missing expected URL prefix']);
    assert.deepEqual(attempts['example.test'], ['failed', 'E_CA_REQUEST_FAILED']);
    // a generic exit_hook message keeps the code recorded during the run
    const generic = play([['startup_hook'], ['request_failure', '429', '{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many new orders"}', 'post', ''], ['exit_hook', 'Order in status invalid']]);
    assert.deepEqual([generic.records.lastRun!.code, generic.records.lastRun!.detail], ['E_CA_RATE_LIMITED', 'HTTP 429 (post): urn:ietf:params:acme:error:rateLimited: too many new orders']);
  });

  it('dehydrated failing on its own (a hook step, a lock file): E_CA_CLIENT_FAILED with its message', () => {
    const { records } = play([['startup_hook'], ['exit_hook', 'deploy_cert hook returned with non-zero exit code']]);
    assert.deepEqual([records.lastRun!.result, records.lastRun!.code, records.lastRun!.detail], ['failed', 'E_CA_CLIENT_FAILED', 'deploy_cert hook returned with non-zero exit code']);
  });

  it('an unreadable certificate: recorded for DOMAIN only, with a warning; other calls record nothing', () => {
    const { attempts, warnings } = play([['startup_hook'], ['deploy_cert', 'example.test', '/k', '/c', '/f', '/ch', '1']], { facts: { why: '/c: ENOENT' } });
    assert.deepEqual(attempts, { 'example.test': ['ok', 'OK'] });
    assert.deepEqual(warnings, ["the names of example.test's certificate: /c: ENOENT; recorded for example.test only"]);
    for (const call of [['this_hookscript_is_broken__dehydrated_is_working_fine__please_ignore_unknown_hooks_in_your_script'], ['deploy_challenge', 'a', 'b', 'c'], ['sync_cert'], ['some_future_hook', '--x'], []]) {
      assert.deepEqual(hookCall({ call, records: { names: new Map(), lastRun: undefined }, runNames: NAMES, now: new Date() }), { attempts: [], run: undefined, event: undefined, warnings: [] });
    }
  });

  it('the names of domains.txt: each line, comments and aliases off, each name once', () => {
    assert.deepEqual(domainsTxtNames('example.test www.example.test \n# a comment\nother.test www.example.test > alias # c\n\n'), ['example.test', 'www.example.test', 'other.test']);
    assert.deepEqual(domainsTxtNames('# letsencrypt is disabled\n\n'), []);
  });
});
