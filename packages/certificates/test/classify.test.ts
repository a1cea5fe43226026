import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyChallengeResult, classifyMessage, classifyRequestFailure, describeCode } from '@smeconf/certificates';

/** dehydrated 0.7.0's hook calls, recorded against pebble (see the file's _comment). */
const RECORDED = JSON.parse(readFileSync(new URL('./fixtures/dehydrated-0.7.0-hook-calls.json', import.meta.url), 'utf8')) as Record<string, string[][]>;
const call = (scenario: string, hook: string) => RECORDED[scenario]!.find((args) => args[0] === hook)!;

/** A challenge result as dehydrated's jsonsh prints it, around an error. */
function jsonsh(type: string, detail: string, status = 400): string {
  const error = { type, detail, status };
  return [
    '["type"]\t"http-01"',
    '["url"]\t"https://127.0.0.1:14000/chalZ/abc"',
    '["status"]\t"invalid"',
    `["error","type"]\t${JSON.stringify(type)}`,
    `["error","detail"]\t${JSON.stringify(detail)}`,
    `["error","status"]\t${status}`,
    `["error"]\t${JSON.stringify(error)}`,
  ].join('\n');
}

describe('classifying what dehydrated and the CA said', () => {
  it('curl\'s exit status talking to the CA: E_CA_CURL<N> (the acme-lab rows CA-UNREACHABLE, CA-TLS-UNTRUSTED, CA-DNS)', () => {
    for (const [status, url] of [[7, 'https://127.0.0.1:5001/dir'], [60, 'https://127.0.0.1:14000/dir'], [6, 'https://acme.example.test:14000/dir']] as const) {
      const message = `Problem connecting to server (get for ${url}; curl returned with ${status})`;
      assert.deepEqual(classifyMessage(message), { code: `E_CA_CURL${status}`, detail: message });
    }
    assert.deepEqual(classifyMessage(call('ca-unreachable', 'exit_hook')[1]!), { code: 'E_CA_CURL7', detail: 'Problem connecting to server (get for https://127.0.0.1:1/dir; curl returned with 7)' });
  });

  it('a challenge URL answering 404 or 403: E_ACME_HTTP01_STATUS<N>, the failed name from the URL, not ALTNAME', () => {
    const [, altname, result] = call('challenge-404', 'invalid_challenge');
    assert.equal(altname, 'odoo.example.test');
    const classified = classifyChallengeResult(result!)!;
    assert.equal(classified.code, 'E_ACME_HTTP01_STATUS404');
    assert.equal(classified.name, 'www.example.test');
    assert.match(classified.detail, /^urn:ietf:params:acme:error:unauthorized: Non-200 status code from HTTP: http:\/\/www\.example\.test:\d+\/\.well-known\/acme-challenge\/\S+ returned 404$/);
    assert.deepEqual(classifyMessage(call('challenge-404', 'exit_hook')[1]!), classified, 'exit_hook\'s message gives the same');
    const forbidden = classifyChallengeResult(jsonsh('urn:ietf:params:acme:error:unauthorized', 'Non-200 status code from HTTP: http://www.example.test:5002/.well-known/acme-challenge/tok returned 403', 403))!;
    assert.deepEqual([forbidden.code, forbidden.name], ['E_ACME_HTTP01_STATUS403', 'www.example.test']);
    // Let's Encrypt's wording, and its validation record
    const boulder = `{"type":"http-01","status":"invalid","error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"203.0.113.7: Invalid response from http://shop.example.com/.well-known/acme-challenge/x: 404","status":403},"validationRecord":[{"url":"http://shop.example.com/.well-known/acme-challenge/x","hostname":"Shop.Example.com","port":"80"}]}`;
    assert.deepEqual([classifyChallengeResult(boulder)!.code, classifyChallengeResult(boulder)!.name], ['E_ACME_HTTP01_STATUS404', 'shop.example.com']);
  });

  it('a name without a DNS record, a dead DNS server: E_DNS_NXDOMAIN, E_DNS_SERVFAIL (DNS-NO-RECORD, DNS-SERVER-DOWN)', () => {
    const nodns = classifyChallengeResult(call('dns-no-record', 'invalid_challenge')[2]!)!;
    assert.deepEqual([nodns.code, nodns.name], ['E_DNS_NXDOMAIN', 'nodns.example.test']);
    assert.match(nodns.detail, /^urn:ietf:params:acme:error:connection: Get "http:\/\/nodns\.example\.test:\d+\/.*": could not resolve URL "/);
    const down = classifyChallengeResult(jsonsh('urn:ietf:params:acme:error:connection', 'Get "http://example.test:5002/.well-known/acme-challenge/t": error occurred while resolving URL "http://example.test:5002/.well-known/acme-challenge/t": "read udp 127.0.0.1:53406->127.0.0.1:8054: read: connection refused"'))!;
    assert.deepEqual([down.code, down.name], ['E_DNS_SERVFAIL', 'example.test']);
    // Let's Encrypt's `dns` problems
    const dns = (detail: string) => classifyChallengeResult(jsonsh('urn:ietf:params:acme:error:dns', detail))!.code;
    assert.equal(dns('DNS problem: NXDOMAIN looking up A for nodns.example.com - check that a DNS record exists for this domain'), 'E_DNS_NXDOMAIN');
    assert.equal(dns('DNS problem: SERVFAIL looking up CAA for example.com - the domain\'s nameservers may be malfunctioning'), 'E_DNS_SERVFAIL');
    assert.equal(dns('DNS problem: query timed out looking up A for example.com'), 'E_DNS_TIMEOUT');
  });

  it('nothing listening on port 80, a timeout: E_ACME_HTTP01_UNREACHABLE (CHALLENGE-REFUSED, CHALLENGE-IPV6)', () => {
    const refused = classifyChallengeResult(call('challenge-refused', 'invalid_challenge')[2]!)!;
    assert.deepEqual([refused.code, refused.name], ['E_ACME_HTTP01_UNREACHABLE', 'www.example.test']);
    assert.match(refused.detail, /dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/);
    const connection = (detail: string) => classifyChallengeResult(jsonsh('urn:ietf:params:acme:error:connection', detail))!.code;
    assert.equal(connection('Get "http://www.example.test:5002/.well-known/acme-challenge/t": dial tcp [::1]:5002: connect: connection refused'), 'E_ACME_HTTP01_UNREACHABLE');
    assert.equal(connection('Get "http://example.test:44203/.well-known/acme-challenge/t": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'), 'E_ACME_HTTP01_UNREACHABLE');
    assert.equal(connection('198.51.100.4: Fetching http://example.com/.well-known/acme-challenge/t: Timeout during connect (likely firewall problem)'), 'E_ACME_HTTP01_UNREACHABLE');
    assert.equal(connection('198.51.100.4: Fetching http://example.com/.well-known/acme-challenge/t: Invalid host in redirect target "other.example.net"'), 'E_ACME_HTTP01_REDIRECTED');
    assert.equal(connection('something new'), 'E_ACME_HTTP01_UNREACHABLE', 'a connection problem says the CA could not fetch it');
  });

  it('the CA\'s problem documents of request_failure, by type (ACCOUNT-GONE, BAD-NONCE, AUTHZ-ALREADY-VALID)', () => {
    const problem = (type: string, detail: string) => JSON.stringify({ type: `urn:ietf:params:acme:error:${type}`, detail, status: 400 }, null, 3);
    const failure = (type: string, detail = 'what the CA said') => classifyRequestFailure('400', problem(type, detail), 'post');
    assert.deepEqual(failure('accountDoesNotExist', 'unable to find existing account for only-return-existing request'), {
      code: 'E_CA_ACCOUNT_REFUSED',
      detail: 'HTTP 400 (post): urn:ietf:params:acme:error:accountDoesNotExist: unable to find existing account for only-return-existing request',
    });
    assert.equal(failure('invalidContact').code, 'E_CA_ACCOUNT_REFUSED');
    assert.equal(failure('unsupportedContact').code, 'E_CA_ACCOUNT_REFUSED');
    assert.equal(failure('rateLimited', 'too many certificates already issued for exact set of domains').code, 'E_CA_RATE_LIMITED');
    assert.equal(failure('userActionRequired', 'Terms of service have changed').code, 'E_CA_TERMS_NOT_ACCEPTED');
    assert.deepEqual(failure('unauthorized', 'Account is not valid, has status "deactivated"'), {
      code: 'E_CA_UNAUTHORIZED',
      detail: 'HTTP 400 (post): urn:ietf:params:acme:error:unauthorized: Account is not valid, has status "deactivated"',
    });
    assert.deepEqual(failure('badNonce', 'JWS has an invalid anti-replay nonce: "x"'), { code: 'E_CA_REQUEST_FAILED', detail: 'HTTP 400 (post): urn:ietf:params:acme:error:badNonce: JWS has an invalid anti-replay nonce: "x"' });
    assert.equal(failure('malformed', 'Cannot update challenge with status valid, only status pending').code, 'E_CA_REQUEST_FAILED');
    const [, status, body, method] = call('ca-request-failure', 'request_failure');
    assert.deepEqual(classifyRequestFailure(status!, body!, method!), { code: 'E_CA_REQUEST_FAILED', detail: 'HTTP 400 (post): urn:ietf:params:acme:error:malformed: Key ID (kid) in JWS header missing expected URL prefix' });
    // a rejected identifier names the name
    const rejected = JSON.stringify({ type: 'urn:ietf:params:acme:error:rejectedIdentifier', detail: 'Error creating new order', subproblems: [{ type: 'urn:ietf:params:acme:error:rejectedIdentifier', identifier: { type: 'dns', value: 'Bad.Example' } }] });
    assert.deepEqual(classifyRequestFailure('400', rejected, 'post'), { code: 'E_CA_REQUEST_FAILED', detail: 'HTTP 400 (post): urn:ietf:params:acme:error:rejectedIdentifier: Error creating new order', name: 'bad.example' });
  });

  it('a body that is no problem document (CA-BAD-PATH), dehydrated\'s own errors, problems quoted in its output', () => {
    assert.deepEqual(classifyRequestFailure('404', '404 page not found\n', 'get'), { code: 'E_CA_REQUEST_FAILED', detail: 'HTTP 404 (get): 404 page not found' });
    for (const message of ["Lock file '/etc/dehydrated/lock' present, aborting.", "WELLKNOWN directory doesn't exist, please create /x and set appropriate permissions.", 'deploy_cert hook returned with non-zero exit code']) {
      assert.deepEqual(classifyMessage(message), { code: 'E_CA_CLIENT_FAILED', detail: message });
    }
    const output = '  + ERROR: An error occurred while sending post-request to https://127.0.0.1:14000/order-plz (Status 400)\n\nDetails:\n{\n   "type": "urn:ietf:params:acme:error:accountDoesNotExist",\n   "detail": "unable to find \\"the\\" account",\n   "status": 400\n}';
    assert.deepEqual(classifyMessage(output), { code: 'E_CA_ACCOUNT_REFUSED', detail: 'HTTP 400: urn:ietf:params:acme:error:accountDoesNotExist: unable to find "the" account' });
    assert.equal(classifyMessage('  + ERROR: An error occurred while sending get-request to https://127.0.0.1:14000/directory (Status 404)').code, 'E_CA_REQUEST_FAILED');
    assert.equal(classifyMessage('Challenge unauthorized: Invalid response from http://a.example/.well-known/acme-challenge/x: 404').code, 'E_ACME_HTTP01_STATUS404');
  });

  it('every code it gives is in the catalogue; details are one line', () => {
    const results = [
      ...Object.values(RECORDED).flatMap((calls) => (Array.isArray(calls) ? calls : [])).filter((args) => args[0] === 'invalid_challenge').map((args) => classifyChallengeResult(args[2]!)!),
      ...Object.values(RECORDED).flatMap((calls) => (Array.isArray(calls) ? calls : [])).filter((args) => args[0] === 'exit_hook' && args.length > 1 && args[1] !== '').map((args) => classifyMessage(args[1]!)),
      classifyMessage('x\ny'),
    ];
    assert.ok(results.length >= 7);
    for (const result of results) {
      assert.ok(describeCode(result.code) !== undefined, result.code);
      assert.doesNotMatch(result.detail, /\n/);
    }
  });
});
