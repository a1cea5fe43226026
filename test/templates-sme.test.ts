import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { CUSTOM_VH, HTTPD, docBlock, ok, put, serverWith, virtualHosts } from './helpers/sme-server.ts';

// An SME admin's templates habits (issue #10 items 6, 7, 12): a pasted
// Perl fragment, finding what to override, what dry runs and repeated
// errors say.

// The walkthrough's 25SSLDirectives (SME Text::Template), as pasted
const WALKTHROUGH = `{
    if ($port eq "443")
    {
        $OUT .= "    SSLEngine on\\n";
        $OUT .= "    SSLCertificateFile $modSSL{'crt'}\\n";
        $OUT .= "    SSLCertificateKeyFile $modSSL{'key'}\\n";
    }
}
`;

describe('templates the SME way: what an admin pastes and looks for', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  afterEach(() => scratch?.remove());

  it('a pasted SME Perl fragment is refused once, at file:line, and nothing is written (expand-template and the event)', () => {
    scratch = serverWith(['example.test', 'other.test']);
    const count = virtualHosts(scratch);
    const file = put(scratch, `${CUSTOM_VH}/25SSLDirectives`, WALKTHROUGH);
    const result = run(scratch, 'expand-template', [HTTPD]);
    const problem =
      `${file}:1:1: an SME Perl fragment (Text::Template: $port eq on line 2): smeconf fragments are Handlebars, nothing of it is run; ` +
      `port it (docs/templates.md, "Porting Perl fragments") (${count} times) [E_TPL_PERL_FRAGMENT]`;
    assert.deepEqual(
      [result.status, result.stdout, result.stderr],
      [5, '', `${problem}\nexpand-template: template processing failed for ${HTTPD}: 1 error [E_TPL_RENDER]\n`],
    );
    assert.equal(existsSync(join(scratch.path, HTTPD)), false);
    const event = runEvent(scratch);
    assert.equal(event.status, 1);
    assert.equal(`${event.stdout}${event.stderr}`.split('\n').filter((line) => line.includes('[E_TPL_PERL_FRAGMENT]')).length, 1, event.stderr);
    assert.equal(existsSync(join(scratch.path, HTTPD)), false);
  });

  it('the walkthrough fragment as docs/templates.md ports it expands, as 30SSL', () => {
    scratch = serverWith(['example.test']);
    ok(scratch, 'config', ['setprop', 'modSSL', 'status', 'enabled', 'crt', '/etc/ssl/x.crt', 'key', '/etc/ssl/x.key']);
    put(scratch, `${CUSTOM_VH}/30SSL`, docBlock('templates.md', 'ported to Handlebars'));
    const conf = ok(scratch, 'expand-template', ['--stdout', HTTPD]);
    assert.match(conf, /:443>\n(.*\n)*?    SSLEngine on\n    SSLCertificateFile "\/etc\/ssl\/x\.crt"\n    SSLCertificateKeyFile "\/etc\/ssl\/x\.key"\n/);
    assert.equal(conf.split('SSLEngine on').length - 1, conf.split(/<VirtualHost \S+:443>/).length - 1);
  });

  it('one failing sub-template fragment is reported once, with how many VirtualHosts met it', () => {
    scratch = serverWith(['example.test', 'a.test', 'b.test']);
    const count = virtualHosts(scratch);
    assert.ok(count >= 3, `${count} VirtualHosts`);
    const file = put(scratch, `${CUSTOM_VH}/45Header`, '    Header set X-Site {{nosuch}}\n');
    const result = run(scratch, 'expand-template', [HTTPD]);
    assert.equal(result.status, 5);
    assert.equal(
      result.stderr,
      `${file}:1:25: nosuch is not defined (for an optional value use {{prop KEY PROP DEFAULT}}) (${count} times)\n` +
        `expand-template: template processing failed for ${HTTPD}: 1 error [E_TPL_RENDER]\n`,
    );
  });

  it('expand-template --json --dry-run says "would create", then "unchanged" and "absent" (never "would unchanged")', () => {
    scratch = makeScratch('sqlite');
    mkdirSync(join(scratch.path, 'etc'));
    put(scratch, 'etc/e-smith/templates/etc/plain.conf/10', 'x\n');
    put(scratch, 'etc/e-smith/templates/etc/gone.conf/10', 'x\n');
    put(scratch, 'etc/e-smith/templates.metadata/etc/gone.conf', 'DELETE=yes\n');
    const json = (path: string) => JSON.parse(ok(scratch, 'expand-template', ['--json', '--dry-run', path])) as { status: string };
    assert.equal(json('/etc/plain.conf').status, 'would create');
    ok(scratch, 'expand-template', ['/etc/plain.conf']);
    assert.equal(json('/etc/plain.conf').status, 'unchanged');
    assert.equal(json('/etc/gone.conf').status, 'absent');
  });
});

function runEvent(scratch: Scratch) {
  put(scratch, 'etc/e-smith/events/perl-test/templates2expand/etc/httpd/conf/httpd.conf', '');
  return run(scratch, 'signal-event', ['perl-test']);
}

describe('smeconf templates ls PATH: the resolved fragment queue', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  afterEach(() => scratch?.remove());

  it('names each fragment with where it comes from and what it replaces, sub-templates included; --json', () => {
    scratch = serverWith(['example.test']);
    const stock = join(REPO, 'templates/etc/httpd/conf/httpd.conf');
    const custom = put(scratch, `${CUSTOM_VH}/30SSL`, readFileSync(join(stock, 'VirtualHosts/30SSL'), 'utf8'));
    const odoo = put(scratch, `${CUSTOM_VH}/55Odoo`, '    ProxyTimeout 600\n');
    const result = run(scratch, 'smeconf', ['templates', 'ls', HTTPD]);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    const row = (name: string, origin: string, path: string, note = '') => new RegExp(`^  ${name} +${origin} +${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${note}$`);
    assert.equal(lines[0], HTTPD);
    assert.match(lines[1]!, row('metadata', 'repo:metadata', join(REPO, 'templates.metadata', HTTPD)));
    assert.match(lines[2]!, row('template-begin', 'repo:default', join(REPO, 'templates-default/template-begin')));
    assert.ok(lines.some((line) => row('80VirtualHosts', 'repo:templates', join(stock, '80VirtualHosts')).test(line)), result.stdout);
    const sub = lines.indexOf(`${HTTPD}/VirtualHosts`);
    assert.ok(sub > 2, result.stdout);
    const vhost = lines.slice(sub + 1);
    assert.match(vhost[0]!, row('template-begin', 'repo:templates', join(stock, 'VirtualHosts/template-begin'), '  \\(empty: no banner\\)'));
    assert.ok(vhost.some((line) => row('30SSL', 'root:custom', custom, '  \\(replaces repo:templates\\)').test(line)), result.stdout);
    const at = (name: string) => vhost.findIndex((line) => line.startsWith(`  ${name} `));
    assert.ok(at('20DocumentRoot') < at('30SSL') && at('30SSL') < at('55Odoo') && at('55Odoo') < at('90ProxyCatchAll'), result.stdout);
    assert.match(vhost[at('55Odoo')]!, row('55Odoo', 'root:custom', odoo));

    const json = JSON.parse(ok(scratch, 'smeconf', ['templates', 'ls', '--json', HTTPD])) as Listing;
    assert.equal(json.path, HTTPD);
    const vh = json.subTemplates.find((t) => t.path === `${HTTPD}/VirtualHosts`)!;
    assert.deepEqual(vh.fragments.find((f) => f.name === '30SSL'), {
      name: '30SSL', origin: 'root:custom', path: custom, replaces: [{ origin: 'repo:templates', path: join(stock, 'VirtualHosts/30SSL') }], empty: false,
    });
  });

  it('a path without fragments: one line, E_TPL_NO_FRAGMENTS, exit 5', () => {
    scratch = makeScratch('sqlite');
    const result = run(scratch, 'smeconf', ['templates', 'ls', '/etc/none']);
    assert.deepEqual([result.status, result.stdout, result.stderr], [5, '', 'smeconf: no templates were found for /etc/none [E_TPL_NO_FRAGMENTS]\n']);
  });
});

interface Listing {
  path: string;
  fragments: { name: string; origin: string; path: string; replaces: { origin: string; path: string }[]; empty: boolean }[];
  subTemplates: Listing[];
}
