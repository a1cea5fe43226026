import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { missingAcmePrograms, sh, startAcmeLab } from './helpers/acme-lab.ts';
import type { AcmeLab } from './helpers/acme-lab.ts';
import { Processes, waitFor } from './helpers/processes.ts';

// The HTTPS story for real (issue #5): pebble as the ACME CA, pebble-challtestsrv
// as DNS, Apache started from the generated httpd.conf, dehydrated with the
// generated config, domains.txt and hook, a backend standing in for Odoo.
// Everything on 127.0.0.1. .ci/run installs the Debian packages.

const NAMES = ['example.test', 'www.example.test', 'odoo.example.test'];
const ODOO = 'odoo.example.test';

interface Lab extends AcmeLab {
  scratch: Scratch;
  processes: Processes;
}

function ok(scratch: Scratch, bin: 'db' | 'config' | 'signal-event' | 'smeconf', args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function startLab(): Promise<Lab> {
  const scratch = makeScratch('sqlite');
  chmodSync(scratch.path, 0o755); // Apache's children (www-data when we are root) traverse it
  const processes = new Processes();
  return { scratch, processes, ...(await startAcmeLab(join(scratch.path, 'lab'), NAMES, processes)) };
}

/** The served certificate for a name (SNI), as openssl prints it. */
function servedCertificate(lab: Lab, name: string): string {
  const connect = sh(['sh', '-c', `openssl s_client -connect 127.0.0.1:${lab.ports.https} -servername ${name} </dev/null 2>/dev/null | openssl x509 -noout -serial -ext subjectAltName`]);
  return connect.out;
}

function curl(lab: Lab, args: string[]): string {
  const resolve = NAMES.flatMap((name) => ['--resolve', `${name}:${lab.ports.http}:127.0.0.1`, '--resolve', `${name}:${lab.ports.https}:127.0.0.1`]);
  return sh(['curl', '-sS', '--max-time', '10', '--cacert', lab.root, ...resolve, ...args]).out;
}

describe('HTTPS end to end: Apache, dehydrated and pebble on 127.0.0.1', function () {
  this.timeout(180_000);
  let lab: Lab | undefined;

  before(async function () {
    const missing = missingAcmePrograms();
    if (missing.length > 0) {
      console.error(`\n*** SKIPPING the HTTPS end-to-end test: ${missing.join(', ')} not installed (apt-get install apache2 dehydrated pebble) ***\n`);
      this.skip();
    }
    lab = await startLab();
  });

  after(async () => {
    if (lab === undefined) return;
    const pidFile = join(lab.scratch.path, 'var/run/smeconf/httpd-e-smith.pid');
    if (existsSync(pidFile)) lab.processes.adopt(Number(readFileSync(pidFile, 'utf8')));
    await lab.processes.stopAll();
    lab.scratch.remove();
  });

  it('issues one certificate for every name, serves it, redirects and proxies; renews on demand', async () => {
    const { scratch, ports } = lab!;
    const R = scratch.path;
    for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2', 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge']) {
      mkdirSync(join(R, dir), { recursive: true, mode: 0o755 });
    }
    writeFileSync(join(R, 'home/e-smith/files/ibays/Primary/html/index.html'), '<h1>MAIN-SITE</h1>\n');

    // 2. everything through db/config commands
    ok(scratch, 'signal-event', ['bootstrap-console-save']);
    ok(scratch, 'config', ['set', 'DomainName', 'example.test']);
    ok(scratch, 'db', ['domains', 'set', 'example.test', 'domain', 'letsencryptSSLcert', 'enabled']);
    ok(scratch, 'db', ['hosts', 'set', 'www.example.test', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled']);
    ok(scratch, 'db', ['domains', 'set', ODOO, 'domain', 'ProxyPassTarget', `http://127.0.0.1:${ports.backend}/`, 'HttpsRedirect', 'enabled', 'letsencryptSSLcert', 'enabled']);
    ok(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'test', 'email', 'admin@example.test', 'keysize', '2048',
      'ACMEDirectory', lab!.acmeDirectory, 'CABundle', lab!.listenerCa]);
    const conf = join(R, 'etc/httpd/conf/httpd.conf');
    ok(scratch, 'config', ['setprop', 'httpd-e-smith', 'TCPPort', String(ports.http), 'ListenAddress', '127.0.0.1', 'ServiceManager', 'command',
      'startCommand', JSON.stringify(['/usr/sbin/apache2', '-f', conf, '-D', 'FOREGROUND']), 'reloadSignal', 'SIGUSR1']);
    if (process.getuid?.() !== 0) ok(scratch, 'config', ['delprop', 'httpd-e-smith', 'User', 'Group']);
    ok(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', String(ports.https)]);

    // 3. console-save: the files, and Apache started from them, on HTTPS at once with the server's self-signed certificate
    ok(scratch, 'signal-event', ['console-save']);
    assert.equal(readFileSync(join(R, 'etc/dehydrated/domains.txt'), 'utf8'), 'example.test www.example.test odoo.example.test \n');
    await waitFor('Apache on http', () => curl(lab!, [`http://example.test:${ports.http}/`]).includes('MAIN-SITE'));
    const selfSigned = servedCertificate(lab!, 'example.test');
    for (const name of NAMES) assert.ok(selfSigned.includes(`DNS:${name}`), `${name} in the self-signed ${selfSigned}`);
    assert.match(curl(lab!, ['--insecure', `https://${ODOO}:${ports.https}/web`]), /ODOO-BACKEND/, 'the proxy on HTTPS before any issuance');

    // 4. smeconf letsencrypt renew: dehydrated for this root, registering once the terms are accepted; the hook records the certificate and signals ssl-update
    const smeconf = (...args: string[]) => sh([process.execPath, binPath('smeconf'), 'letsencrypt', ...args], { env: scratch.env, timeout: 90_000 });
    assert.equal(smeconf('renew').status, 3, 'refused until ACCEPT_TERMS yes');
    ok(scratch, 'config', ['setprop', 'letsencrypt', 'ACCEPT_TERMS', 'yes']);
    const issue = smeconf('renew');
    assert.equal(issue.status, 0, issue.out);
    assert.match(ok(scratch, 'config', ['getprop', 'modSSL', 'crt']), new RegExp(`${R}/etc/dehydrated/certs/example.test/cert.*\\.pem\\n`));
    await waitFor('Apache on https', () => curl(lab!, [`https://example.test:${ports.https}/`]).includes('MAIN-SITE'));

    // 5. what a user sees
    const served = servedCertificate(lab!, 'example.test');
    for (const name of NAMES) assert.ok(served.includes(`DNS:${name}`), `${name} in ${served}`);
    assert.match(curl(lab!, [`https://www.example.test:${ports.https}/`]), /MAIN-SITE/);
    assert.match(curl(lab!, [`https://${ODOO}:${ports.https}/web`]), new RegExp(`ODOO-BACKEND</h1> path=/web host=${ODOO}:${ports.https} xfp=https`));
    const redirect = curl(lab!, ['-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `http://${ODOO}:${ports.http}/web/login`]);
    assert.equal(redirect, `301 https://${ODOO}:${ports.https}/web/login`);
    writeFileSync(join(R, 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge/probe'), 'probe\n');
    assert.equal(curl(lab!, [`http://${ODOO}:${ports.http}/.well-known/acme-challenge/probe`]), 'probe\n');

    // bad input: the event fails, the working files and the server stay
    const before = readFileSync(conf, 'utf8');
    ok(scratch, 'config', ['setprop', 'letsencrypt', 'email', 'bad\naddress']);
    assert.equal(run(scratch, 'signal-event', ['console-save']).status, 1);
    assert.equal(readFileSync(conf, 'utf8'), before);
    assert.match(curl(lab!, [`https://example.test:${ports.https}/`]), /MAIN-SITE/);
    ok(scratch, 'config', ['setprop', 'letsencrypt', 'email', 'admin@example.test']);

    // 6. no renewal needed; a forced one is served after the hook's event
    const serial = /serial=(\w+)/.exec(served)![1];
    const again = smeconf('renew');
    assert.equal(again.status, 0, again.out);
    assert.match(again.out, /Skipping renew/);
    const forced = smeconf('renew', '--force');
    assert.equal(forced.status, 0, forced.out);
    await waitFor('the new certificate', () => {
      const now = /serial=(\w+)/.exec(servedCertificate(lab!, 'example.test'))?.[1];
      return now !== undefined && now !== serial;
    });
    assert.match(curl(lab!, [`https://${ODOO}:${ports.https}/`]), /ODOO-BACKEND/);

    // 7. back to the standard SME certificate: remove the deployed one, console-save serves the self-signed one again
    ok(scratch, 'config', ['delprop', 'modSSL', 'crt', 'key', 'CertificateChainFile']);
    ok(scratch, 'signal-event', ['console-save']);
    const selfSerial = /serial=(\w+)/.exec(selfSigned)![1];
    await waitFor('the self-signed certificate again', () => /serial=(\w+)/.exec(servedCertificate(lab!, 'example.test'))?.[1] === selfSerial);
    assert.match(curl(lab!, ['--insecure', `https://${ODOO}:${ports.https}/`]), /ODOO-BACKEND/);
  });
});
