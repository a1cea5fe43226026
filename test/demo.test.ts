import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO } from './helpers/cli.ts';
import { missingAcmePrograms } from './helpers/acme-lab.ts';

// Issue #10 item 11: `npm run demo` (scripts/demo.sh) tells the README's
// story: with apache2, dehydrated and pebble, issuance, HTTPS, the redirect
// and the proxy on 127.0.0.1, one curl line each; else the files and what it
// skipped. Either way it stops what it started and removes its temp directory.

function demo(env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  // stdout and stderr interleaved, as on a terminal
  const result = spawnSync('bash', ['-c', 'exec bash scripts/demo.sh 2>&1'], { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, out: result.stdout };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The temp directory the demo names in its last line, gone. */
function assertCleanedUp(out: string): void {
  const dir = /[Rr]emoving (\S+)\.\n$/.exec(out)?.[1];
  assert.ok(dir !== undefined && dir.includes('smeconf-demo.'), out.slice(-400));
  assert.ok(!existsSync(dir), `${dir} removed`);
}

describe('npm run demo', function () {
  this.timeout(120_000);

  it('issues, serves, redirects and proxies on 127.0.0.1, one curl line each; stops what it started, removes its directory', function () {
    const missing = missingAcmePrograms();
    if (missing.length > 0) {
      console.error(`\n*** SKIPPING the demo's HTTPS story: ${missing.join(', ')} not installed ***\n`);
      this.skip();
    }
    const { status, out } = demo();
    assert.equal(status, 0, out);
    assert.match(out, /\n\$ smeconf cert check\nname +result +detail\n(\S+ +OK .*\n){4}\ncheck: 4 of 4 names OK\n\n\$ smeconf letsencrypt renew\n[^]*\n \+ Done!\n/);
    assert.match(out, /\n\$ smeconf cert status\n[^$]*\nstatus: OK\n/);
    assert.match(out, /\n# issue: .*\n\$ curl .*\nSubject:CN = example\.org\nIssuer:CN = Pebble Intermediate CA \w+\nX509v3 Subject Alternative Name:DNS:example\.org, DNS:mail\.example\.org, DNS:www\.example\.org, DNS:odoo\.example\.org\n/);
    assert.match(out, /\n# serve: .*\n\$ curl .* https:\/\/www\.example\.org:\d+\/\n<h1>MAIN-SITE<\/h1>\n/);
    assert.match(out, /\n# redirect: .*\n\$ curl .* http:\/\/odoo\.example\.org:\d+\/web\/login\n301 https:\/\/odoo\.example\.org:(\d+)\/web\/login\n/);
    assert.match(out, /\n# proxy: .*\n\$ curl .* https:\/\/odoo\.example\.org:\d+\/web\n<h1>ODOO-BACKEND<\/h1> path=\/web host=odoo\.example\.org:\d+ xfp=https\n/);
    const stopped = /Stopping Apache \(PID (\d+)\), .* \(PIDs ([\d ]+)\)/.exec(out);
    assert.ok(stopped, out.slice(-400));
    const pids = [stopped[1]!, ...stopped[2]!.split(' ')].map(Number);
    assert.equal(pids.length, 4);
    assert.deepEqual(pids.filter(alive), [], 'every process the demo started is gone');
    assertCleanedUp(out);
  });

  it('without the lab: the generated files, Apache\'s syntax check, and what was skipped', () => {
    const { status, out } = demo({ SMECONF_DEMO_LAB: 'no' });
    assert.equal(status, 0, out);
    assert.match(out, /^(.*\n)*Skipping issuance, HTTPS, the redirect and the proxy: SMECONF_DEMO_LAB=no; showing the generated files instead\.\n/);
    assert.match(out, /\/etc\/dehydrated\/domains\.txt\nexample\.org mail\.example\.org www\.example\.org odoo\.example\.org \n/);
    assert.match(out, /ProxyPass \/ http:\/\/127\.0\.0\.1:8069\//);
    if (existsSync('/usr/sbin/apache2')) assert.match(out, /\n\$ \/usr\/sbin\/apache2 -t -f \S+\nSyntax OK\n/);
    assert.match(out, /\nSkipped \(SMECONF_DEMO_LAB=no\): issuance, HTTPS, the redirect and the proxy\. Removing \S+\.\n$/);
    assertCleanedUp(out);
  });
});
