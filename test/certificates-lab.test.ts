import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { binPath, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { emptyRoot, silent } from './helpers/admin.ts';
import { missingAcmePrograms, setAddress, sh, startAcmeLab } from './helpers/acme-lab.ts';
import type { AcmeLab } from './helpers/acme-lab.ts';
import { Processes, waitFor } from './helpers/processes.ts';

// Issue #13, "Must show", on the real stack (pebble, pebble-challtestsrv,
// dehydrated, apache2, all on 127.0.0.1): certificates an admin can see.
// One root and one lab, the scenes in order: a name whose DNS record points
// elsewhere is skipped and comes back; a broken challenge path; the CA down
// with a certificate about to expire. "All good" (every name OK, served with
// the deployed certificate) is the walkthrough's (test/walkthrough.test.ts).

const APACHE = '/usr/sbin/apache2';
const HTTPD = '/etc/httpd/conf/httpd.conf';
const PRIMARY = 'cert.test';
const WWW = `www.${PRIMARY}`;
const SHOP = `shop.${PRIMARY}`;
const NAMES = [PRIMARY, SHOP, WWW]; // domains.txt's order: the domain, then its hosts in key order
const VALIDITY_DAYS = 10; // pebble's certificates: fewer days than the stock warning threshold (14)
const CUSTOM_ACME = 'etc/e-smith/templates-custom/etc/httpd/conf/httpd.conf/VirtualHosts/40ACME';

interface Row { name: string; inCertificate: boolean; served: string; codes: string[]; skipped: boolean; check: { code: string } | null; lastAttempt: { result: string; code: string } | null }
interface Status {
  status: string;
  names: Row[];
  certificate: { sans: string[]; fingerprint256: string; daysLeft: number; chainVerification: string } | null;
  lastRun: { result: string; code: string; detail: string; names: string[] } | null;
  findings: { code: string; name?: string }[];
}

describe('certificates you can see, on pebble, dehydrated and Apache (issue #13)', function () {
  this.timeout(120_000);
  const processes = new Processes();
  let scratch: Scratch;
  let lab: AcmeLab;

  const smeconf = (...args: string[]) => spawnSync(process.execPath, [binPath('smeconf'), ...args], { env: scratch.env, encoding: 'utf8', timeout: 90_000 });
  const status = (): { exit: number | null; body: Status } => {
    const result = smeconf('cert', 'status', '--json');
    assert.equal(result.stderr, '');
    return { exit: result.status, body: JSON.parse(result.stdout) as Status };
  };
  const row = (body: Status, name: string) => body.names.find((entry) => entry.name === name)!;
  const domainsTxt = () => readFileSync(join(scratch.path, 'etc/dehydrated/domains.txt'), 'utf8');
  /** The certificate Apache serves for PRIMARY: its SHA-256 fingerprint, as `openssl x509 -fingerprint` prints it. */
  const servedFingerprint = () =>
    /=([0-9A-F:]+)/.exec(sh(['sh', '-c', `openssl s_client -connect 127.0.0.1:${lab.ports.https} -servername ${PRIMARY} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`]).out)?.[1];

  before(async function () {
    const missing = missingAcmePrograms();
    if (missing.length > 0) {
      console.error(`\n*** SKIPPING the certificates lab: ${missing.join(', ')} not installed (apt-get install apache2 dehydrated pebble curl openssl) ***\n`);
      this.skip();
    }
    scratch = emptyRoot('smeconf-certificates-');
    lab = await startAcmeLab(join(scratch.path, 'lab'), NAMES, processes, { validitySeconds: VALIDITY_DAYS * 86_400 });

    silent(scratch, 'signal-event', 'bootstrap-console-save');
    silent(scratch, 'config', 'setprop', 'httpd-e-smith', 'TCPPort', String(lab.ports.http), 'ListenAddress', '127.0.0.1', 'ServiceManager', 'command',
      'startCommand', JSON.stringify([APACHE, '-f', join(scratch.path, HTTPD), '-D', 'FOREGROUND']), 'reloadSignal', 'SIGUSR1');
    silent(scratch, 'config', 'setprop', 'modSSL', 'TCPPort', String(lab.ports.https));
    silent(scratch, 'config', 'set', 'DomainName', PRIMARY);
    silent(scratch, 'config', 'set', 'SystemName', 'box');
    silent(scratch, 'signal-event', 'console-save');
    silent(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test', 'email', `admin@${PRIMARY}`, 'ACCEPT_TERMS', 'yes',
      'ACMEDirectory', lab.acmeDirectory, 'CABundle', lab.caBundle, 'CheckResolver', `127.0.0.1:${lab.ports.dns}`, 'ExpiryWarningDays', '7');
    silent(scratch, 'db', 'domains', 'setprop', PRIMARY, 'letsencryptSSLcert', 'enabled');
    for (const host of [WWW, SHOP]) silent(scratch, 'db', 'hosts', 'set', host, 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled');
    silent(scratch, 'signal-event', 'console-save');
    assert.equal(domainsTxt(), `${NAMES.join(' ')} \n`);
    const check = smeconf('cert', 'check');
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  after(async () => {
    const pidFile = scratch === undefined ? '' : join(scratch.path, 'var/run/smeconf/httpd-e-smith.pid');
    if (pidFile !== '' && existsSync(pidFile)) processes.adopt(Number(readFileSync(pidFile, 'utf8')));
    await processes.stopAll();
    scratch?.remove();
  });

  it(`a name pointing elsewhere: E_DNS_WRONG_ADDRESS; renew leaves it out (SkipFailingNames), the others issued; fixed, it comes back`, async () => {
    setAddress(lab, WWW, '127.0.0.2');
    const check = smeconf('cert', 'check', WWW);
    assert.equal(check.status, 11, check.stdout + check.stderr);
    assert.match(check.stdout, new RegExp(`^${WWW.replaceAll('.', '\\.')} +E_DNS_WRONG_ADDRESS .*127\\.0\\.0\\.2`, 'm'));

    const renew = smeconf('letsencrypt', 'renew');
    assert.equal(renew.status, 0, renew.stdout + renew.stderr);
    assert.match(renew.stderr, new RegExp(`^smeconf: warning: ${WWW.replaceAll('.', '\\.')} is left out of this renewal \\(SkipFailingNames\\): E_DNS_WRONG_ADDRESS: `, 'm'));
    assert.equal(domainsTxt(), `${PRIMARY} ${SHOP} \n`);
    await waitFor('Apache serving the certificate without www', () => status().body.certificate?.sans.length === 2 && servedFingerprint() === status().body.certificate?.fingerprint256);
    const { exit, body } = status();
    assert.equal(exit, 11);
    assert.deepEqual(body.certificate?.sans.slice().sort(), [PRIMARY, SHOP].sort());
    assert.deepEqual([row(body, WWW).skipped, row(body, WWW).inCertificate, row(body, WWW).codes.slice().sort()], [true, false, ['E_CERT_NAME_MISSING', 'E_DNS_WRONG_ADDRESS']]);
    assert.deepEqual([row(body, SHOP).codes, row(body, SHOP).served], [[], 'match']);
    assert.match(smeconf('cert', 'status').stdout, new RegExp(`^${WWW.replaceAll('.', '\\.')} .*E_DNS_WRONG_ADDRESS.* \\(skipped\\)$`, 'm'));

    setAddress(lab, WWW, '127.0.0.1');
    const again = smeconf('letsencrypt', 'renew');
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.doesNotMatch(again.stderr, /left out/);
    assert.equal(domainsTxt(), `${NAMES.join(' ')} \n`);
    await waitFor('Apache serving the certificate with www again', () => status().exit === 0);
    assert.deepEqual(status().body.certificate?.sans.slice().sort(), NAMES.slice().sort());
  });

  it('the challenge path broken by a templates-custom fragment: the preflight and the captured dehydrated failure both say E_ACME_HTTP01_STATUS404', async () => {
    const custom = join(scratch.path, CUSTOM_ACME);
    mkdirSync(dirname(custom), { recursive: true });
    // the alias now leads to a directory that does not exist (inside the site's: Apache answers 404, not 403)
    writeFileSync(custom, `    # the ACME alias, dropped by a local change\n    Alias /.well-known/acme-challenge/ "${scratch.path}/home/e-smith/files/ibays/Primary/html/no-challenges/"\n`);
    try {
      silent(scratch, 'signal-event', 'console-save');
      let last = '';
      await waitFor('Apache without the ACME alias', () => (last = smeconf('cert', 'check', PRIMARY).stdout).includes(' E_ACME_HTTP01_STATUS404 ')).catch((error: Error) => {
        throw new Error(`${error.message}: ${last}`);
      });
      const check = smeconf('cert', 'check');
      assert.equal(check.status, 11);
      for (const name of NAMES) assert.match(check.stdout, new RegExp(`^${name.replaceAll('.', '\\.')} +E_ACME_HTTP01_STATUS404 `, 'm'));

      // SkipFailingNames: the primary failing is an error, dehydrated not run
      const refused = smeconf('letsencrypt', 'renew', '--force');
      assert.equal(refused.status, 11, refused.stdout + refused.stderr);
      assert.match(refused.stderr, new RegExp(`^smeconf: ${PRIMARY.replaceAll('.', '\\.')}, the certificate's first name, fails the preflight with E_ACME_HTTP01_STATUS404 .*\\[E_LE_PREFLIGHT_FAILED\\]\\n`, 'm'));
      assert.equal(refused.stdout, '', 'dehydrated did not run');

      // without it, dehydrated asks the CA, which fails the challenge; the hook captures the code
      silent(scratch, 'config', 'setprop', 'letsencrypt', 'SkipFailingNames', 'disabled');
      const failed = smeconf('letsencrypt', 'renew', '--force');
      assert.notEqual(failed.status, 0, failed.stdout + failed.stderr);
      const { body } = status();
      assert.equal(body.lastRun?.result, 'failed');
      assert.equal(body.lastRun?.code, 'E_ACME_HTTP01_STATUS404', JSON.stringify(body.lastRun));
      assert.ok(body.names.some((entry) => entry.lastAttempt?.code === 'E_ACME_HTTP01_STATUS404'), JSON.stringify(body.names));
      assert.ok(body.names.every((entry) => entry.served === 'match'), 'the current certificate stays served');
    } finally {
      rmSync(custom);
      silent(scratch, 'config', 'setprop', 'letsencrypt', 'SkipFailingNames', 'enabled');
      silent(scratch, 'signal-event', 'console-save');
    }
  });

  it(`the CA down (pebble stopped): E_CA_CURL7 captured, the certificate stays served; ${VALIDITY_DAYS} days left and a failed renewal: the cron run warns on stderr, the event log and the status say so`, async () => {
    lab.pebble.kill('SIGTERM');
    await waitFor('pebble stopped', () => lab.pebble.exitCode !== null || lab.pebble.signalCode !== null);
    const before = status().body.certificate?.fingerprint256;

    silent(scratch, 'config', 'setprop', 'letsencrypt', 'ExpiryWarningDays', '14');
    silent(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'enabled');
    silent(scratch, 'signal-event', 'console-save'); // the daily cron job renews now
    const cron = spawnSync('sh', [join(scratch.path, 'etc/cron.daily/letsencrypt')], { env: scratch.env, encoding: 'utf8', timeout: 90_000 });
    // as SME's job: the command's stdout dropped, its stderr on the job's output (cron mails it)
    assert.equal(cron.stderr, '');
    assert.match(cron.stdout, /curl returned with 7/);
    assert.doesNotMatch(cron.stdout, /^ \+ /m, 'dehydrated\'s progress (stdout) dropped');
    assert.match(cron.stdout, new RegExp(`^smeconf: warning: the certificate .* expires in ${VALIDITY_DAYS - 1} days .* and the renewal failed \\(E_CA_CURL7.*\\[E_CERT_RENEWAL_FAILING\\]$`, 'm'));

    const { exit, body } = status();
    assert.equal(exit, 11);
    assert.deepEqual([body.lastRun?.result, body.lastRun?.code], ['failed', 'E_CA_CURL7']);
    assert.deepEqual(body.findings.map((item) => item.code).filter((code) => code.startsWith('E_CERT_')).sort(), ['E_CERT_EXPIRING', 'E_CERT_RENEWAL_FAILING']);
    assert.equal(body.certificate?.fingerprint256, before);
    assert.ok(body.names.every((entry) => entry.served === 'match'), 'the current certificate stays served');
    assert.equal(servedFingerprint(), before);

    const log = readFileSync(join(scratch.path, 'var/log/smeconf/events.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(log.filter((entry) => entry['certificate'] === 'expiry').map((entry) => [entry['code'], entry['daysLeft']]).at(-1), ['E_CERT_RENEWAL_FAILING', VALIDITY_DAYS - 1]);
    const runs = log.filter((entry) => entry['certificate'] === 'renew');
    assert.equal(runs.at(-1)?.['code'], 'E_CA_CURL7', JSON.stringify(runs.at(-1)));
    assert.equal(run(scratch, 'config', ['getprop', 'letsencrypt', 'status']).stdout, 'enabled\n');
  });
});
