import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { freePort } from './helpers/processes.ts';

// Issue #13, surface 3: the GENERATED dehydrated hook (console-save in a
// scratch root) run with argument sequences dehydrated 0.7.0 really made
// (packages/certificates/test/fixtures, recorded against pebble), and what
// `db certificates show` and `smeconf cert status --json` then say.

const RECORDED = JSON.parse(readFileSync(new URL('../packages/certificates/test/fixtures/dehydrated-0.7.0-hook-calls.json', import.meta.url), 'utf8')) as Record<string, string[][]>;
const NAMES = ['example.test', 'www.example.test', 'odoo.example.test'];
const HOOK = 'usr/bin/hook-script.sh';

function ok(scratch: Scratch, bin: 'db' | 'config' | 'signal-event', ...args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A root after console-save with letsencrypt on for NAMES, and dehydrated's certificate files for them (openssl, self-signed). */
async function server(): Promise<Scratch> {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2']) mkdirSync(join(scratch.path, dir), { recursive: true });
  ok(scratch, 'signal-event', 'bootstrap-console-save');
  ok(scratch, 'config', 'set', 'DomainName', 'example.test');
  ok(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test', 'email', 'admin@example.test', 'ACCEPT_TERMS', 'yes');
  ok(scratch, 'config', 'setprop', 'modSSL', 'TCPPort', String(await freePort())); // nothing listens: the served check is quick
  ok(scratch, 'db', 'domains', 'set', 'example.test', 'domain', 'letsencryptSSLcert', 'enabled');
  ok(scratch, 'db', 'hosts', 'set', 'www.example.test', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled');
  ok(scratch, 'db', 'domains', 'set', 'odoo.example.test', 'domain', 'letsencryptSSLcert', 'enabled');
  ok(scratch, 'signal-event', 'console-save');
  assert.equal(readFileSync(join(scratch.path, 'etc/dehydrated/domains.txt'), 'utf8'), `${NAMES.join(' ')} \n`);

  const certs = join(scratch.path, 'etc/dehydrated/certs/example.test');
  mkdirSync(certs, { recursive: true });
  const openssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'privkey-1.pem', '-out', 'cert-1.pem', '-days', '90', '-subj', '/CN=example.test',
    '-addext', `subjectAltName=${NAMES.map((name) => `DNS:${name}`).join(',')}`], { cwd: certs, encoding: 'utf8' });
  assert.equal(openssl.status, 0, openssl.stderr);
  writeFileSync(join(certs, 'chain-1.pem'), readFileSync(join(certs, 'cert-1.pem')));
  for (const [link, target] of [['cert.pem', 'cert-1.pem'], ['privkey.pem', 'privkey-1.pem'], ['chain.pem', 'chain-1.pem'], ['fullchain.pem', 'chain-1.pem']]) symlinkSync(target!, join(certs, link!));
  return scratch;
}

/** Runs the generated hook with each recorded call of `scenario` ($BASEDIR: the root's etc/dehydrated), as dehydrated does; every exit status and stderr. */
function replay(scratch: Scratch, scenario: string): { statuses: (number | null)[]; stderr: string } {
  const basedir = join(scratch.path, 'etc/dehydrated');
  const statuses: (number | null)[] = [];
  let stderr = '';
  for (const call of RECORDED[scenario]!) {
    const result = spawnSync(join(scratch.path, HOOK), call.map((arg) => arg.replaceAll('$BASEDIR', basedir)), { env: { PATH: process.env['PATH'] }, encoding: 'utf8' });
    statuses.push(result.status);
    stderr += result.stderr;
  }
  return { statuses, stderr };
}

interface StatusJson {
  names: { name: string; codes: string[]; lastAttempt: { at: string; result: string; code: string; detail: string } | null }[];
  lastRun: { started: string; finished: string; result: string; code: string; detail: string; names: string[] } | null;
}

function status(scratch: Scratch): StatusJson {
  const result = run(scratch, 'smeconf', ['cert', 'status', '--json']);
  assert.ok([0, 10, 11].includes(result.status!), result.stderr);
  return JSON.parse(result.stdout) as StatusJson;
}

const lastEvent = (scratch: Scratch) => JSON.parse(readFileSync(join(scratch.path, 'var/log/smeconf/events.log'), 'utf8').trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('the dehydrated hook records every attempt (smeconf cert hook)', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  before(async () => {
    scratch = await server();
  });
  after(() => scratch?.remove());

  it('the generated hook: deploy_cert as before, then each recorded call to smeconf cert hook with the arguments verbatim', () => {
    const hook = readFileSync(join(scratch.path, HOOK), 'utf8');
    assert.ok(hook.includes('    db configuration setprop modSSL key "$KEY" crt "$CERT" CertificateChainFile "$CHAIN" || exit 1\n    signal-event ssl-update || exit 1\n'));
    const bindir = join(REPO, 'node_modules/.bin');
    assert.ok(hook.endsWith(`\ncase "$1" in\n    startup_hook|deploy_cert|unchanged_cert|invalid_challenge|request_failure|exit_hook)\n        '${bindir}'/smeconf cert hook -- "$@" || : ;;\nesac\nexit 0\n`), hook);
  });

  it('a first issuance: the run ok, every name ok; Apache gets the certificate; an event line', () => {
    const { statuses, stderr } = replay(scratch, 'first-issuance');
    assert.deepEqual([new Set(statuses), stderr], [new Set([0]), '']);
    assert.match(ok(scratch, 'config', 'getprop', 'modSSL', 'crt'), /etc\/dehydrated\/certs\/example\.test\/cert\.pem\n$/);
    const shown = ok(scratch, 'db', 'certificates', 'show', 'www.example.test');
    assert.match(shown, /^www\.example\.test=name\n    Attempt=\S+Z\n    AttemptCode=OK\n    AttemptDetail=valid until \S+Z\n    AttemptResult=ok\n$/);
    const json = status(scratch);
    assert.deepEqual([json.lastRun!.result, json.lastRun!.code, json.lastRun!.names], ['ok', 'OK', NAMES]);
    assert.ok(json.lastRun!.finished >= json.lastRun!.started);
    assert.deepEqual(json.names.map((row) => [row.name, row.lastAttempt!.result]), NAMES.map((name) => [name, 'ok']));
    assert.deepEqual({ ...lastEvent(scratch), time: 'T' }, { time: 'T', certificate: 'renew', result: 'ok', code: 'OK', detail: '', names: NAMES });
  });

  it('nothing to renew: unchanged', () => {
    assert.deepEqual(new Set(replay(scratch, 'unchanged').statuses), new Set([0]));
    const json = status(scratch);
    assert.equal(json.lastRun!.result, 'unchanged');
    assert.deepEqual(json.names.map((row) => row.lastAttempt!.result), ['unchanged', 'unchanged', 'unchanged']);
  });

  it('a broken challenge path: E_ACME_HTTP01_STATUS404 for the failed name (not dehydrated\'s ALTNAME), the run failed with it', () => {
    assert.deepEqual(new Set(replay(scratch, 'challenge-404').statuses), new Set([0]));
    const shown = ok(scratch, 'db', 'certificates', 'show', 'www.example.test');
    assert.match(shown, /\n    AttemptCode=E_ACME_HTTP01_STATUS404\n    AttemptDetail=urn:ietf:params:acme:error:unauthorized: Non-200 status code from HTTP: http:\/\/www\.example\.test:\d+\/\.well-known\/acme-challenge\/\S+ returned 404\n    AttemptResult=failed\n/);
    assert.match(ok(scratch, 'db', 'certificates', 'show', 'odoo.example.test'), /AttemptDetail=the run failed on www\.example\.test: /);
    const json = status(scratch);
    assert.deepEqual([json.lastRun!.result, json.lastRun!.code], ['failed', 'E_ACME_HTTP01_STATUS404']);
    assert.ok(json.names.find((row) => row.name === 'www.example.test')!.codes.includes('E_ACME_HTTP01_STATUS404'));
    assert.deepEqual([lastEvent(scratch)['result'], lastEvent(scratch)['code']], ['failed', 'E_ACME_HTTP01_STATUS404']);
  });

  it('the CA unreachable (exit_hook alone, no startup_hook): E_CA_CURL7 for the run and every name', () => {
    assert.deepEqual(replay(scratch, 'ca-unreachable').statuses, [0]);
    const json = status(scratch);
    assert.deepEqual([json.lastRun!.result, json.lastRun!.code, json.lastRun!.detail], ['failed', 'E_CA_CURL7', 'Problem connecting to server (get for https://127.0.0.1:1/dir; curl returned with 7)']);
    assert.deepEqual(json.names.map((row) => row.lastAttempt!.code), ['E_CA_CURL7', 'E_CA_CURL7', 'E_CA_CURL7']);
    const text = run(scratch, 'smeconf', ['cert', 'status']).stdout;
    assert.match(text, /\nlast renewal run: failed E_CA_CURL7, \S+ to \S+: Problem connecting to server \(get for https:\/\/127\.0\.0\.1:1\/dir; curl returned with 7\)\n/);
  });

  it('never fails dehydrated: unknown calls exit 0 and record nothing; a certificate outside the root is one warning line', () => {
    const before = ok(scratch, 'db', 'certificates', 'show');
    for (const call of [['this_hookscript_is_broken__dehydrated_is_working_fine__please_ignore_unknown_hooks_in_your_script'], ['deploy_challenge', 'a', 'b', 'c'], ['a_future_hook', '-x', '{"json": 1e3}\nline']]) {
      const result = spawnSync(join(scratch.path, HOOK), call, { encoding: 'utf8' });
      assert.deepEqual([result.status, result.stderr], [0, '']);
    }
    assert.equal(ok(scratch, 'db', 'certificates', 'show'), before);
    const outside = run(scratch, 'smeconf', ['cert', 'hook', '--', 'unchanged_cert', 'example.test', '/etc/ssl/k.pem', '/etc/passwd', '/f', '/c']);
    assert.equal(outside.status, 0);
    assert.match(outside.stderr, /^smeconf: warning: cert hook unchanged_cert: the names of example\.test's certificate: \/etc\/passwd leads outside the root .*; recorded for example\.test only\n$/);
    // the event log cannot be written (a directory in its place): one warning line, the run still recorded, exit 0
    const log = join(scratch.path, 'var/log/smeconf/events.log');
    renameSync(log, `${log}.saved`);
    mkdirSync(log);
    const result = spawnSync(join(scratch.path, HOOK), ['exit_hook', 'Lock file present, aborting.'], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    assert.match(result.stderr, /^smeconf: warning: cannot write the event log \S+events\.log: .*\n$/);
    assert.match(ok(scratch, 'db', 'certificates', 'show', 'lastrun'), /\n    Code=E_CA_CLIENT_FAILED\n    Detail=Lock file present, aborting\.\n/);
  });
});
