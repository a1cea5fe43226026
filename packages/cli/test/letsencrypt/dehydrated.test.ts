import assert from 'node:assert/strict';
import { makeRecord } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import { dehydratedArgs, dehydratedConfigFile, runDehydrated } from '../../src/letsencrypt/dehydrated.ts';

const letsencrypt = (props: Record<string, string>) => makeRecord('service', Object.entries(props));
const CONFIG = '/srv/root/etc/dehydrated/config';

function refused(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof ToolError && error.code === code && message.test(error.message));
}

describe('dehydratedArgs: what smeconf letsencrypt renew/register runs', () => {
  it('names the root\'s config with -f (plain dehydrated reads /etc/dehydrated/config)', () => {
    assert.equal(dehydratedConfigFile('/srv/root'), CONFIG);
    assert.equal(dehydratedConfigFile('/'), '/etc/dehydrated/config');
  });

  it('renew: -c --accept-terms (dehydrated registers the account the first time), --force adds -x', () => {
    const record = letsencrypt({ status: 'enabled', ACCEPT_TERMS: 'yes' });
    assert.deepEqual(dehydratedArgs(record, CONFIG, { action: 'renew' }), ['-f', CONFIG, '-c', '--accept-terms']);
    assert.deepEqual(dehydratedArgs(record, CONFIG, { action: 'renew', force: true }), ['-f', CONFIG, '-c', '--accept-terms', '-x']);
  });

  it('register: --register --accept-terms, in test mode too', () => {
    const record = letsencrypt({ status: 'test', ACCEPT_TERMS: 'yes' });
    assert.deepEqual(dehydratedArgs(record, CONFIG, { action: 'register', force: true }), ['-f', CONFIG, '--register', '--accept-terms']);
  });

  it('refuses while the terms are not accepted: E_LE_TERMS_NOT_ACCEPTED naming the prop', () => {
    for (const props of [{ status: 'enabled' }, { status: 'test', ACCEPT_TERMS: 'no' }, { status: 'test', ACCEPT_TERMS: 'Yes' }]) {
      refused(() => dehydratedArgs(letsencrypt(props), CONFIG, { action: 'renew' }), 'E_LE_TERMS_NOT_ACCEPTED', /config setprop letsencrypt ACCEPT_TERMS yes/);
    }
  });

  it('refuses when letsencrypt is disabled, unknown or missing: E_LE_DISABLED', () => {
    refused(() => dehydratedArgs(letsencrypt({ status: 'disabled', ACCEPT_TERMS: 'yes' }), CONFIG, { action: 'renew' }), 'E_LE_DISABLED', /^letsencrypt is disabled: config setprop letsencrypt status test \(or enabled\)/);
    refused(() => dehydratedArgs(letsencrypt({ status: 'on' }), CONFIG, { action: 'register' }), 'E_LE_DISABLED', /status "on"/);
    refused(() => dehydratedArgs(undefined, CONFIG, { action: 'renew' }), 'E_LE_DISABLED', /disabled/);
  });
});

describe('runDehydrated', () => {
  it('a missing config or program is E_LE_UNAVAILABLE', async () => {
    const io = { env: { PATH: '/nonexistent' }, out: () => {}, err: () => {} };
    await assert.rejects(runDehydrated(['-c'], '/nonexistent/config', io), (e: unknown) => e instanceof ToolError && e.code === 'E_LE_UNAVAILABLE' && /console-save/.test(e.message));
    await assert.rejects(runDehydrated(['-c'], import.meta.filename, io), (e: unknown) => e instanceof ToolError && e.code === 'E_LE_UNAVAILABLE' && /not installed/.test(e.message));
  });
});
