import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRecord } from '@smeconf/db';
import type { DbRecord } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { ToolError } from '@smeconf/errors';
import { certificateNames } from '../../src/letsencrypt/certificate-names.ts';
import { VALID_DAYS, keySizeOf, makeSelfSigned, selfSignedFiles, whyRenew } from '../../src/letsencrypt/self-signed.ts';

const record = (key: string, type: string, props: Record<string, string> = {}): DbRecord => ({ key, ...makeRecord(type, Object.entries(props)) });
const DAY = 86_400_000;

describe('certificateNames: the names the self-signed certificate carries', () => {
  it('the primary domain, SystemName.DomainName, the domains, then the Self hosts of those domains, each once', () => {
    const names = certificateNames({
      domainName: 'example.com',
      systemName: 'box',
      domains: [record('other.org', 'domain'), record('example.com', 'domain'), record('alias.net', 'alias')],
      hosts: [
        record('www.example.com', 'host', { HostType: 'Self' }),
        record('BOX.example.com', 'host', { HostType: 'Self' }),
        record('ext.example.com', 'host', { HostType: 'Remote' }),
        record('mail.other.org', 'host', { HostType: 'Self' }),
        record('www.elsewhere.net', 'host', { HostType: 'Self' }),
        record('bad name.example.com', 'host', { HostType: 'Self' }),
      ],
    });
    assert.deepEqual(names, ['example.com', 'box.example.com', 'other.org', 'mail.other.org', 'www.example.com']);
  });
});

describe('keySizeOf: modSSL keysize', () => {
  it('2048 when unset; a number of bits from 2048 to 8192; anything else E_SSL_SELF_SIGNED', () => {
    assert.equal(keySizeOf(undefined), 2048);
    assert.equal(keySizeOf(''), 2048);
    assert.equal(keySizeOf('4096'), 4096);
    for (const bad of ['1024', '16384', 'big', '2048 ', '0x800']) {
      assert.throws(() => keySizeOf(bad), (e: unknown) => e instanceof ToolError && e.code === 'E_SSL_SELF_SIGNED' && e.message.includes(JSON.stringify(bad)));
    }
  });
});

describe('makeSelfSigned and whyRenew (real openssl)', function () {
  this.timeout(60_000);
  let dir: TempDir;
  before(function () {
    if (!existsSync('/usr/bin/openssl')) {
      console.error('    SKIPPED: /usr/bin/openssl not installed');
      this.skip();
    }
  });
  beforeEach(() => (dir = makeTempDir('smeconf-ssl-')));
  afterEach(() => dir.remove());

  it('makes a key 0600 in a 0700 directory and a CA:FALSE server certificate for the names; then it fits until something changes', () => {
    const files = selfSignedFiles(dir.path, 'box', 'example.com');
    assert.equal(files.crt, join(dir.path, 'home/e-smith/ssl.crt/box.example.com.crt'));
    const spec = { names: ['example.com', 'box.example.com'], keySize: 2048 };
    const now = new Date();
    assert.equal(whyRenew(files, spec, now), 'there was none');
    makeSelfSigned(files, spec, process.env);
    assert.equal(statSync(files.key).mode & 0o777, 0o600);
    assert.equal(statSync(join(files.key, '..')).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(join(files.key, '..')), ['box.example.com.key'], 'no temporary left');
    const certificate = new X509Certificate(readFileSync(files.crt));
    assert.equal(certificate.subject, 'CN=example.com');
    assert.equal(certificate.subjectAltName, 'DNS:example.com, DNS:box.example.com');
    assert.equal(certificate.ca, false);
    const days = Math.round((new Date(certificate.validTo).getTime() - new Date(certificate.validFrom).getTime()) / DAY);
    assert.equal(days, VALID_DAYS);

    assert.equal(whyRenew(files, spec, now), undefined);
    assert.equal(whyRenew(files, { ...spec, names: ['example.com'] }, now), 'the names changed');
    assert.equal(whyRenew(files, { ...spec, keySize: 3072 }, now), 'the key size is now 3072');
    assert.match(whyRenew(files, spec, new Date(now.getTime() + (VALID_DAYS - 29) * DAY)) ?? '', /^it expires on /);
    writeFileSync(files.crt, 'garbage\n');
    assert.equal(whyRenew(files, spec, now), 'the old one was unreadable');
  });

  it('a key that is not the certificate\'s (a crash between the two renames) is noticed', () => {
    const a = selfSignedFiles(join(dir.path, 'a'), 'box', 'example.com');
    const b = selfSignedFiles(join(dir.path, 'b'), 'box', 'example.com');
    const spec = { names: ['example.com'], keySize: 2048 };
    makeSelfSigned(a, spec, process.env);
    makeSelfSigned(b, spec, process.env);
    assert.equal(whyRenew({ crt: a.crt, key: b.key }, spec, new Date()), 'its key did not match');
  });

  it('openssl missing or failing: E_SSL_SELF_SIGNED, the old files untouched, no temporary left', () => {
    const files = selfSignedFiles(dir.path, 'box', 'example.com');
    const spec = { names: ['example.com'], keySize: 2048 };
    makeSelfSigned(files, spec, process.env);
    const before = readFileSync(files.crt, 'utf8');
    const stub = join(dir.path, 'stub-bin');
    mkdirSync(stub);
    const fails = (env: NodeJS.ProcessEnv, message: RegExp) =>
      assert.throws(() => makeSelfSigned(files, spec, env), (e: unknown) => e instanceof ToolError && e.code === 'E_SSL_SELF_SIGNED' && message.test(e.message));
    fails({ PATH: stub }, /^openssl is not installed/);
    writeFileSync(join(stub, 'openssl'), '#!/bin/sh\necho "req: something is wrong" >&2\nexit 3\n');
    chmodSync(join(stub, 'openssl'), 0o755);
    fails({ PATH: stub }, /exit status 3\): req: something is wrong$/);
    assert.equal(readFileSync(files.crt, 'utf8'), before);
    assert.deepEqual(readdirSync(join(files.key, '..')), ['box.example.com.key']);
  });
});
