import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATALOGUE, describeCode, numberedCode } from '@smeconf/certificates';

describe('the certificate code catalogue', () => {
  it('builds the numbered codes from their family and number', () => {
    assert.equal(numberedCode('E_ACME_HTTP01_STATUS', 404), 'E_ACME_HTTP01_STATUS404');
    assert.equal(numberedCode('E_CA_CURL', 6), 'E_CA_CURL6');
    assert.throws(() => numberedCode('E_CA_CURL', -1), RangeError);
  });

  it('describes a numbered code with its number in the cause', () => {
    assert.match(describeCode('E_ACME_HTTP01_STATUS404')!.cause, /HTTP status 404,/);
    assert.match(describeCode('E_CA_CURL6')!.cause, /curl exit status 6 /);
    assert.equal(describeCode('E_CA_CURLX'), undefined);
    assert.equal(describeCode('E_NOPE'), undefined);
  });

  it('every code has a severity, a one-line cause and a fix naming a command; docs/certificates.md lists each', () => {
    const doc = readFileSync(new URL('../../../docs/certificates.md', import.meta.url), 'utf8');
    for (const entry of CATALOGUE) {
      assert.match(entry.code, /^E_(DNS|ACME_HTTP01|CA|CERT)_[A-Z0-9_{}N]+$/);
      assert.ok(!/\n/.test(entry.cause + entry.fix));
      assert.match(entry.fix, /smeconf|config|db|signal-event|expand-template/, entry.code);
      const shown = entry.code.replace('{N}', '<N>');
      assert.ok(doc.includes(`| \`${shown}\` | ${entry.severity} |`), `${shown} in docs/certificates.md`);
    }
  });
});
