import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createSecureContext, createServer } from 'node:tls';
import type { Server } from 'node:tls';
import { join } from 'node:path';
import { makeScratch, run, runAsync } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { freePort } from './helpers/processes.ts';

// `smeconf cert status` (issue #13, first slice): certificates made by openssl
// here, a node:tls server on 127.0.0.1 standing in for Apache's HTTPS port.

const NAMES = ['example.test', 'www.example.test'];
const CERTS = 'etc/certs';

function openssl(cwd: string, ...args: string[]): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, `openssl ${args.join(' ')}\n${result.stderr}`);
}

/** A CA (ca.crt/ca.key) named `name` in dir. */
function makeCa(dir: string, name: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '30', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

/** A leaf `name`.crt/.key for `sans`, signed by `ca`, valid `days` (negative: expired). */
function makeLeaf(dir: string, name: string, sans: readonly string[], ca: string, days: number, serial: string): void {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${sans.map((san) => `DNS:${san}`).join(',')}\nbasicConstraints=CA:FALSE\n`);
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${sans[0] ?? name}`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', serial, '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.crt`);
}

/** An intermediate CA `name` signed by `ca`. */
function makeIntermediate(dir: string, name: string, ca: string): void {
  writeFileSync(join(dir, `${name}.ext`), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', '0x2001', '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
}

function ok(scratch: Scratch, bin: 'db' | 'config', ...args: string[]): void {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, result.stderr);
}

/** A TLS server on 127.0.0.1 serving `byName[servername]` (else `fallback`), like Apache per SNI. */
async function startTls(dir: string, byName: Record<string, string>, fallback: string): Promise<{ server: Server; port: number }> {
  const context = (name: string) => createSecureContext({ cert: readFileSync(join(dir, `${name}.crt`)), key: readFileSync(join(dir, `${name}.key`)) });
  const contexts = new Map(Object.entries(byName).map(([servername, name]) => [servername, context(name)]));
  const server = createServer({ ...{ cert: readFileSync(join(dir, `${fallback}.crt`)), key: readFileSync(join(dir, `${fallback}.key`)) }, SNICallback: (servername, done) => done(null, contexts.get(servername) ?? context(fallback)) });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

interface Json {
  status: string;
  names: { name: string; inCertificate: boolean; served: string; codes: string[] }[];
  certificate: { serial: string; sans: string[]; keyType: string; keySize: number; daysLeft: number; keyMatches: boolean; chainVerification: string; fingerprint256: string } | null;
  lastRun: null;
  findings: { code: string; severity: string; name?: string; detail: string; cause: string; fix: string }[];
}

interface Options {
  /** The key file's name (default: the certificate's). */
  key?: string;
  /** The certificate the TLS server presents (default: the deployed one). */
  serve?: string;
  /** Per SNI name, the certificate the TLS server presents instead. */
  served?: Record<string, string>;
  /** The certificate CertificateChainFile holds (default: none). */
  chain?: string;
  /** modSSL crt as given (default: the name's file under the root). */
  crtPath?: string;
  /** Set as modSSL SelfSignedCrt/SelfSignedKey, crt/key unset. */
  selfSigned?: boolean;
}

describe('smeconf cert status', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  let dir: string;
  const servers: Server[] = [];

  before(() => {
    scratch = makeScratch('sqlite');
    dir = join(scratch.path, CERTS);
    mkdirSync(dir, { recursive: true });
    makeCa(dir, 'ca');
    makeCa(dir, 'otherca');
    makeLeaf(dir, 'good', NAMES, 'ca', 90, '0x1001');
    makeLeaf(dir, 'short', NAMES, 'ca', 1, '0x1002');
    makeLeaf(dir, 'expired', NAMES, 'ca', -1, '0x1003');
    makeLeaf(dir, 'partial', ['example.test'], 'ca', 90, '0x1004');
    makeLeaf(dir, 'other', NAMES, 'otherca', 90, '0x1005');
    makeLeaf(dir, 'spare', NAMES, 'ca', 90, '0x1006');
    makeIntermediate(dir, 'intermediate', 'ca');
    makeLeaf(dir, 'chained', NAMES, 'intermediate', 90, '0x1007');
    ok(scratch, 'config', 'set', 'DomainName', 'example.test');
    ok(scratch, 'config', 'set', 'SystemName', 'box');
    ok(scratch, 'db', 'domains', 'set', 'example.test', 'domain');
    ok(scratch, 'db', 'hosts', 'set', 'www.example.test', 'host', 'HostType', 'Self');
    ok(scratch, 'config', 'set', 'letsencrypt', 'service', 'status', 'enabled', 'configure', 'all', 'CABundle', join(dir, 'ca.crt'));
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  after(() => scratch.remove());

  /** Deploys `name` (crt/key, chain empty), serves `served` per SNI (default: the same), runs the bin. */
  async function status(name: string, options: Options & { args?: string[] } = {}) {
    writeFileSync(join(dir, 'chain.pem'), options.chain === undefined ? '' : readFileSync(join(dir, `${options.chain}.crt`)));
    const { server, port } = await startTls(dir, options.served ?? {}, options.serve ?? name);
    servers.push(server);
    // absolute paths, the root in them, as the dehydrated hook records them and Apache reads them
    const files = [options.crtPath ?? join(dir, `${name}.crt`), join(dir, `${options.key ?? name}.key`)];
    const props = options.selfSigned === true ? ['SelfSignedCrt', files[0]!, 'SelfSignedKey', files[1]!] : ['crt', files[0]!, 'key', files[1]!, 'CertificateChainFile', join(dir, 'chain.pem')];
    ok(scratch, 'config', 'set', 'modSSL', 'service', 'status', 'enabled', 'TCPPort', String(port), ...props);
    return runAsync(scratch, 'smeconf', ['cert', 'status', ...(options.args ?? [])]);
  }

  const json = async (name: string, options: Options = {}) => {
    const result = await status(name, { ...options, args: ['--json'] });
    assert.equal(result.stderr, '');
    return { status: result.status, json: JSON.parse(result.stdout) as Json };
  };

  it('all good: exit 0, every name in the certificate and served, the details', async () => {
    const result = await status('good');
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /^example\.test +yes +match +OK$/m);
    assert.match(result.stdout, /^www\.example\.test +yes +match +OK$/m);
    assert.match(result.stdout, /^ {2}serial: +1001$/m);
    assert.match(result.stdout, /^ {2}chain: +verified/m);
    assert.match(result.stdout, /^last renewal run: none recorded$/m);
    assert.match(result.stdout, /^status: OK\n$/m);
  });

  it('--json: rows, the certificate, no attempt yet, no findings', async () => {
    const { status: exit, json: body } = await json('good');
    assert.equal(exit, 0);
    assert.equal(body.status, 'ok');
    assert.deepEqual(body.names, NAMES.map((name) => ({ name, inCertificate: true, served: 'match', codes: [], check: null, skipped: false, lastAttempt: null })));
    assert.deepEqual([body.certificate?.serial, body.certificate?.sans, body.certificate?.keyType, body.certificate?.keySize, body.certificate?.keyMatches, body.certificate?.chainVerification],
      ['1001', NAMES, 'rsa', 2048, true, 'verified']);
    assert.ok(body.certificate!.daysLeft >= 88);
    assert.equal(body.lastRun, null);
    assert.deepEqual(body.findings, []);
  });

  it('a name missing from the certificate: E_CERT_NAME_MISSING on its row, exit 11', async () => {
    const result = await status('partial');
    assert.equal(result.status, 11, result.stdout);
    assert.match(result.stdout, /^www\.example\.test +NO +match +E_CERT_NAME_MISSING$/m);
    assert.match(result.stdout, /^example\.test +yes +match +OK$/m);
    assert.match(result.stdout, /^error E_CERT_NAME_MISSING www\.example\.test: .*\n {2}cause: .*\n {2}fix: +smeconf letsencrypt renew --force/m);
  });

  it('expiring (openssl -days 1): E_CERT_EXPIRING, a warning, exit 10; --expiry-days 0 makes it OK', async () => {
    const { status: exit, json: body } = await json('short');
    assert.equal(exit, 10);
    assert.equal(body.status, 'warning');
    assert.deepEqual(body.findings.map((item) => [item.code, item.severity]), [['E_CERT_EXPIRING', 'warning']]);
    assert.deepEqual(body.names.map((row) => row.codes), [['E_CERT_EXPIRING'], ['E_CERT_EXPIRING']]);
    assert.equal((await status('short', { args: ['--expiry-days', '0'] })).status, 0);
  });

  it('expired (openssl -days -1): E_CERT_EXPIRED, exit 11', async () => {
    const { status: exit, json: body } = await json('expired');
    assert.equal(exit, 11);
    assert.deepEqual(body.findings.map((item) => item.code), ['E_CERT_EXPIRED']);
  });

  it('a key that is not the certificate\'s: E_CERT_KEY_MISMATCH, exit 11', async () => {
    const { status: exit, json: body } = await json('good', { key: 'spare' });
    assert.equal(exit, 11);
    assert.equal(body.certificate?.keyMatches, false);
    assert.deepEqual(body.findings.map((item) => item.code), ['E_CERT_KEY_MISMATCH']);
  });

  it('a chain that does not reach letsencrypt CABundle: E_CERT_CHAIN_INVALID, exit 11', async () => {
    const { status: exit, json: body } = await json('other');
    assert.equal(exit, 11);
    assert.equal(body.certificate?.chainVerification, 'failed');
    assert.deepEqual(body.findings.map((item) => item.code), ['E_CERT_CHAIN_INVALID']);
    assert.match(body.findings[0]!.detail, /otherca/);
  });

  it('a chain through an intermediate: verified with it in CertificateChainFile, E_CERT_CHAIN_INVALID without', async () => {
    const withChain = await json('chained', { chain: 'intermediate' });
    assert.deepEqual([withChain.status, withChain.json.certificate?.chainVerification, withChain.json.findings], [0, 'verified', []]);
    const without = await json('chained');
    assert.deepEqual([without.status, without.json.certificate?.chainVerification, without.json.findings.map((item) => item.code)], [11, 'failed', ['E_CERT_CHAIN_INVALID']]);
  });

  it('only the self-signed certificate while letsencrypt is on: E_CERT_SELF_SIGNED, a warning, exit 10, chain not checked', async () => {
    const { status: exit, json: body } = await json('good', { selfSigned: true });
    assert.equal(exit, 10);
    assert.equal(body.certificate?.chainVerification, 'not-checked');
    assert.deepEqual(body.findings.map((item) => [item.code, item.severity]), [['E_CERT_SELF_SIGNED', 'warning']]);
  });

  it('a deployed certificate file that is missing: E_CERT_MISSING, exit 11, no certificate, no served check', async () => {
    const { status: exit, json: body } = await json('nonexistent', { key: 'good', serve: 'good' });
    assert.equal(exit, 11);
    assert.equal(body.certificate, null);
    assert.deepEqual(body.names.map((row) => [row.inCertificate, row.served, row.codes]), [[false, 'not-checked', ['E_CERT_MISSING']], [false, 'not-checked', ['E_CERT_MISSING']]]);
  });

  it('a certificate path leading out of the root (a symlink, a ..): not read, E_CERT_MISSING, exit 11', async () => {
    symlinkSync('/etc/ssl/certs', join(dir, 'system-link'));
    const outside = readdirSync('/etc/ssl/certs').find((file) => file.endsWith('.pem'));
    assert.ok(outside !== undefined, 'a certificate in /etc/ssl/certs');
    for (const crtPath of [join(dir, 'system-link', outside), `${dir}/../../../../etc/ssl/certs/${outside}`]) {
      const { status: exit, json: body } = await json('good', { crtPath });
      assert.equal(exit, 11);
      assert.equal(body.certificate, null);
      assert.match(body.findings[0]!.detail, /outside the root/);
    }
  });

  it('Apache serving another certificate for a name: E_CERT_SERVED_DIFFERENT on that row, exit 11', async () => {
    const { status: exit, json: body } = await json('good', { served: { 'www.example.test': 'spare' } });
    assert.equal(exit, 11);
    assert.deepEqual(body.names.map((row) => [row.name, row.served, row.codes]), [['example.test', 'match', []], ['www.example.test', 'different', ['E_CERT_SERVED_DIFFERENT']]]);
    assert.equal(body.findings[0]?.name, 'www.example.test');
  });

  it('nothing on the HTTPS port, or a TCPPort that is no port: E_CERT_SERVED_UNREACHABLE, a warning, exit 10', async () => {
    await status('good');
    for (const port of [String(await freePort()), '99999']) {
      ok(scratch, 'config', 'setprop', 'modSSL', 'TCPPort', port);
      const result = await runAsync(scratch, 'smeconf', ['cert', 'status', '--json']);
      assert.equal(result.status, 10, result.stderr);
      const body = JSON.parse(result.stdout) as Json;
      assert.deepEqual(body.names.map((row) => [row.served, row.codes]), [['unreachable', ['E_CERT_SERVED_UNREACHABLE']], ['unreachable', ['E_CERT_SERVED_UNREACHABLE']]]);
    }
  });

  it('--expiry-days that is not a number of days: E_USAGE, exit 2, one line', async () => {
    const result = await status('good', { args: ['--expiry-days', '-3'] });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^smeconf: --expiry-days -3: expected a whole number of days \[E_USAGE\]\n$/);
  });
});
