import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { binPath, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { emptyRoot, silent, stdout } from './helpers/admin.ts';
import { missingAcmePrograms, sh, startAcmeLab } from './helpers/acme-lab.ts';
import type { AcmeLab } from './helpers/acme-lab.ts';
import { Processes, freePort, waitFor } from './helpers/processes.ts';

// Issue #10, "Must show": the seed walkthrough (SME Server + Odoo + Let's
// Encrypt), the admin's commands verbatim and in order, on an empty root.
// Real `apache2 -t`; where pebble, dehydrated and apache2 are installed, real
// issuance and Apache serving it on 127.0.0.1 (high ports). It also carries
// what issue #5's HTTPS end-to-end test proved besides (a failing event
// keeps the running server; a renewal not needed is skipped).

const APACHE = '/usr/sbin/apache2';
const PRIMARY = 'micronator-101.org';
const SECOND = 'micronator.org';
const ODOO = `odoo.${PRIMARY}`;
const SYSTEM = 'sme101';
const STANDARD = ['ftp', 'mail', 'proxy', 'wpad', 'www'];
const HTTPD = '/etc/httpd/conf/httpd.conf';
const PERL_FRAGMENT = 'etc/e-smith/templates-custom/etc/httpd/conf/httpd.conf/VirtualHosts/25SSLDirectives';
// The walkthrough's fragment, as pasted from its SME server
const WALKTHROUGH_FRAGMENT = `{
    if ($port eq "443")
    {
        $OUT .= "    SSLEngine on\\n";
        $OUT .= "    SSLCertificateFile $modSSL{'crt'}\\n";
        $OUT .= "    SSLCertificateKeyFile $modSSL{'key'}\\n";
        $OUT .= "    SSLCertificateChainFile $modSSL{'CertificateChainFile'}\\n";
    }
}
`;
/** domains.txt: the primary domain, then each domain (byte order) with its enabled Self hosts. */
const DOMAINS_TXT = [PRIMARY, ...STANDARD.map((h) => `${h}.${PRIMARY}`), SECOND, ...STANDARD.map((h) => `${h}.${SECOND}`), ODOO].map((n) => `${n} `).join('') + '\n';
const NAMES = DOMAINS_TXT.trim().split(' ');

/** What `smeconf cert status --json` says, as far as the walkthrough looks. */
interface CertStatus {
  status: string;
  certificate: { serial: string } | null;
  lastRun: { result: string; names: string[] } | null;
  names: { name: string; inCertificate: boolean; served: string; check: { code: string } | null; lastAttempt: { result: string } | null }[];
  findings: unknown[];
}

describe('the seed walkthrough, verbatim, on an empty root (SME + Odoo + Let\'s Encrypt)', function () {
  this.timeout(90_000);
  const processes = new Processes();
  let scratch: Scratch;
  let lab: AcmeLab | undefined;
  let backendPort: number;
  const file = (path: string) => readFileSync(join(scratch.path, path), 'utf8');

  before(async function () {
    scratch = emptyRoot('smeconf-walkthrough-');
    const missing = missingAcmePrograms();
    if (missing.length === 0) lab = await startAcmeLab(join(scratch.path, 'lab'), NAMES, processes);
    else console.error(`\n*** SKIPPING the walkthrough's issuance and serving: ${missing.join(', ')} not installed (apt-get install apache2 dehydrated pebble curl openssl) ***\n`);
    backendPort = lab?.ports.backend ?? (await freePort());
  });

  after(async () => {
    const pidFile = join(scratch.path, 'var/run/smeconf/httpd-e-smith.pid');
    if (existsSync(pidFile)) processes.adopt(Number(readFileSync(pidFile, 'utf8')));
    await processes.stopAll();
    scratch.remove();
  });

  it('bootstrap, DomainName, a second domain, standard hosts, letsencryptSSLcert, Odoo: apache2 -t passes, domains.txt as SME\'s; a pasted Perl fragment is refused', () => {
    silent(scratch, 'signal-event', 'bootstrap-console-save');
    if (lab !== undefined) {
      // the lab, not the walkthrough: Apache on 127.0.0.1 high ports, started and reloaded by the events
      const conf = join(scratch.path, HTTPD);
      silent(scratch, 'config', 'setprop', 'httpd-e-smith', 'TCPPort', String(lab.ports.http), 'ListenAddress', '127.0.0.1', 'ServiceManager', 'command',
        'startCommand', JSON.stringify([APACHE, '-f', conf, '-D', 'FOREGROUND']), 'reloadSignal', 'SIGUSR1');
      silent(scratch, 'config', 'setprop', 'modSSL', 'TCPPort', String(lab.ports.https));
      writeFileSync(join(scratch.path, 'home/e-smith/files/ibays/Primary/html/index.html'), '<h1>MAIN-SITE</h1>\n');
    }
    silent(scratch, 'config', 'set', 'DomainName', PRIMARY);
    silent(scratch, 'config', 'set', 'SystemName', SYSTEM);
    silent(scratch, 'signal-event', 'console-save');

    silent(scratch, 'db', 'domains', 'set', SECOND, 'domain', 'Content', 'Primary', 'Description', 'micronator', 'Nameservers', 'internet');
    silent(scratch, 'signal-event', 'domain-create', SECOND);
    const hosts = stdout(scratch, 'db', 'hosts', 'show');
    for (const domain of [PRIMARY, SECOND]) {
      for (const host of [...STANDARD, SYSTEM]) assert.match(hosts, new RegExp(`^${host}\\.${domain.replace(/\./g, '\\.')}=host\\n    HostType=Self\\n`, 'm'), `${host}.${domain} in\n${hosts}`);
    }

    silent(scratch, 'config', 'setprop', 'letsencrypt', 'status', 'test', 'configure', 'none', 'email', `admin@${PRIMARY}`, 'ACCEPT_TERMS', 'yes', 'keysize', '2048',
      ...(lab === undefined ? [] : ['ACMEDirectory', lab.acmeDirectory, 'CABundle', lab.caBundle, 'CheckResolver', `127.0.0.1:${lab.ports.dns}`]));
    for (const domain of [PRIMARY, SECOND]) for (const host of STANDARD) silent(scratch, 'db', 'hosts', 'setprop', `${host}.${domain}`, 'letsencryptSSLcert', 'enabled');
    for (const domain of [PRIMARY, SECOND]) silent(scratch, 'db', 'domains', 'setprop', domain, 'letsencryptSSLcert', 'enabled');
    silent(scratch, 'db', 'domains', 'set', ODOO, 'domain', 'ProxyPassTarget', `http://127.0.0.1:${backendPort}/`, 'HttpsRedirect', 'enabled', 'letsencryptSSLcert', 'enabled');
    silent(scratch, 'signal-event', 'console-save');

    assert.equal(file('etc/dehydrated/domains.txt'), DOMAINS_TXT);
    const check = spawnSync(APACHE, ['-t', '-f', join(scratch.path, HTTPD)], { encoding: 'utf8' });
    if (existsSync(APACHE)) assert.deepEqual([check.status, check.stderr], [0, 'Syntax OK\n'], check.stdout + check.stderr);
    else console.error(`    (${APACHE} not installed: apache2 -t skipped)`);
    const conf = file(HTTPD);
    assert.match(conf, new RegExp(`<VirtualHost [^>]+>\\n    ServerName ${ODOO.replace(/\./g, '\\.')}\\n[^]*?ProxyPass / http://127\\.0\\.0\\.1:${backendPort}/`));

    // the walkthrough's 25SSLDirectives, pasted into templates-custom: refused, nothing written, then removed
    const fragment = join(scratch.path, PERL_FRAGMENT);
    mkdirSync(dirname(fragment), { recursive: true });
    writeFileSync(fragment, WALKTHROUGH_FRAGMENT);
    const expand = run(scratch, 'expand-template', [HTTPD]);
    assert.equal(expand.status, 5, expand.stderr);
    assert.match(expand.stderr, new RegExp(`^${scratch.path}/${PERL_FRAGMENT}:1:1: an SME Perl fragment .*\\[E_TPL_PERL_FRAGMENT\\]\\n`, 'm'));
    const save = run(scratch, 'signal-event', ['console-save']);
    assert.deepEqual([save.status, save.stdout], [1, '']);
    assert.match(save.stderr, new RegExp(`${PERL_FRAGMENT}:1:1: .*\\[E_TPL_PERL_FRAGMENT\\]\\n`));
    assert.equal(file(HTTPD), conf, 'httpd.conf untouched');
    assert.equal(file('etc/dehydrated/domains.txt'), DOMAINS_TXT);
    rmSync(fragment);
    silent(scratch, 'signal-event', 'console-save');
    assert.equal(file(HTTPD), conf);
  });

  it('smeconf letsencrypt renew issues the certificate; Apache serves it, redirects, proxies Odoo; a failing event keeps it; no renewal needed; back to the standard SME certificate', async function () {
    if (lab === undefined) {
      console.error('    (pebble, dehydrated or apache2 missing: issuance and serving skipped, see above)');
      this.skip();
    }
    const curl = (...args: string[]) => {
      const resolve = NAMES.flatMap((name) => ['--resolve', `${name}:${lab!.ports.http}:127.0.0.1`, '--resolve', `${name}:${lab!.ports.https}:127.0.0.1`]);
      return sh(['curl', '-sS', '--max-time', '10', '--cacert', lab!.root, ...resolve, ...args]).out;
    };
    const serial = () => sh(['sh', '-c', `openssl s_client -connect 127.0.0.1:${lab!.ports.https} -servername ${PRIMARY} </dev/null 2>/dev/null | openssl x509 -noout -serial -ext subjectAltName`]).out;
    await waitFor('Apache on http', () => curl(`http://${PRIMARY}:${lab!.ports.http}/`).includes('MAIN-SITE'));
    const selfSigned = /serial=(\w+)/.exec(serial())?.[1];
    assert.ok(selfSigned !== undefined, 'HTTPS served with the self-signed certificate before any issuance');

    const renew = spawnSync(process.execPath, [binPath('smeconf'), 'letsencrypt', 'renew'], { env: scratch.env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(renew.status, 0, renew.stdout + renew.stderr);
    assert.match(stdout(scratch, 'config', 'getprop', 'modSSL', 'crt'), new RegExp(`^${scratch.path}/etc/dehydrated/certs/${PRIMARY}/cert.*\\.pem\\n$`));
    assert.match(file(HTTPD), new RegExp(`SSLCertificateFile "${scratch.path}/etc/dehydrated/certs/${PRIMARY}/cert`));
    await waitFor('Apache on https with the issued certificate', () => curl(`https://${PRIMARY}:${lab!.ports.https}/`).includes('MAIN-SITE'));
    const served = serial();
    for (const name of NAMES) assert.ok(served.includes(`DNS:${name}`), `${name} in ${served}`);
    // what the admin sees (issue #13): every name in the certificate and served with it, the run and each attempt recorded
    await waitFor('cert status: all good', () => run(scratch, 'smeconf', ['cert', 'status']).status === 0);
    const status = JSON.parse(stdout(scratch, 'smeconf', 'cert', 'status', '--json')) as CertStatus;
    assert.deepEqual([status.status, status.lastRun?.result, status.lastRun?.names, status.findings], ['ok', 'ok', NAMES, []]);
    assert.deepEqual(status.names.map((row) => [row.name, row.inCertificate, row.served, row.check?.code, row.lastAttempt?.result]), NAMES.map((name) => [name, true, 'match', 'OK', 'ok']));
    assert.ok(served.includes(`serial=${status.certificate?.serial}`), `the served certificate is the deployed one: ${served}`);

    assert.match(curl(`https://www.${SECOND}:${lab.ports.https}/`), /MAIN-SITE/);
    assert.equal(curl('-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `http://${ODOO}:${lab.ports.http}/web/login`), `301 https://${ODOO}:${lab.ports.https}/web/login`);
    assert.match(curl(`https://${ODOO}:${lab.ports.https}/web`), new RegExp(`ODOO-BACKEND</h1> path=/web host=${ODOO}:${lab.ports.https} xfp=https`));
    const challenges = join(scratch.path, 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge');
    writeFileSync(join(challenges, 'probe'), 'probe\n');
    assert.equal(curl(`http://${ODOO}:${lab.ports.http}/.well-known/acme-challenge/probe`), 'probe\n', 'the challenge path is not redirected');
    rmSync(join(challenges, 'probe'));

    // bad input: the event fails, the working files and the running server stay
    const conf = file(HTTPD);
    silent(scratch, 'config', 'setprop', 'letsencrypt', 'email', 'bad\naddress');
    assert.equal(run(scratch, 'signal-event', ['console-save']).status, 1);
    assert.equal(file(HTTPD), conf);
    assert.match(curl(`https://${PRIMARY}:${lab.ports.https}/`), /MAIN-SITE/);
    silent(scratch, 'config', 'setprop', 'letsencrypt', 'email', `admin@${PRIMARY}`);

    // no renewal needed (dehydrated -x, a forced one, is packages/cli/test/letsencrypt's)
    const again = spawnSync(process.execPath, [binPath('smeconf'), 'letsencrypt', 'renew'], { env: scratch.env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.match(again.stdout + again.stderr, /Skipping renew/);

    // back to the standard SME certificate
    silent(scratch, 'config', 'delprop', 'modSSL', 'crt', 'key', 'CertificateChainFile');
    silent(scratch, 'signal-event', 'console-save');
    await waitFor('the self-signed certificate again', () => /serial=(\w+)/.exec(serial())?.[1] === selfSigned);
    assert.match(curl('--insecure', `https://${ODOO}:${lab.ports.https}/web`), /ODOO-BACKEND/);
  });
});
