import assert from 'node:assert/strict';
import { DataAccess, renderTemplate } from '../src/index.ts';
import { fragmentCompiler } from '../src/render.ts';
import type { FragmentContext, FragmentModule } from '../src/index.ts';
import type { RecordData } from '@smeconf/db';

// The guard of issue #9: a value failing its declared format (or holding a
// control character) cannot reach the output by accident, from a
// Handlebars expression, a helper, or a JavaScript fragment.

const compiler = fragmentCompiler();
const record = (type: string, props: Record<string, string> = {}): RecordData => ({ type, props: new Map(Object.entries(props)) });
const POC = '127.0.0.1:80 >\nAlias /pwn /etc\n#';
const DBS = {
  configuration: {
    DomainName: record('example.com'),
    'httpd-e-smith': record('service', { ListenAddress: POC, TCPPort: '80', LogLevel: 'warn' }),
    modSSL: record('service', { TCPPort: '443 https', note: 'two\nlines' }),
    letsencrypt: record('service', { CABundle: '/tmp/ca.pem --insecure', email: 'admin@example.com', status: 'enabled' }),
  },
  domains: { 'example.com': record('domain'), 'evil.com>': record('domain', { ProxyPassTarget: 'http://h/ retry=0' }) },
};

function render(sources: Record<string, string | FragmentModule>) {
  const access = new DataAccess(new Map(Object.entries(DBS).map(([db, recs]) => [db, new Map(Object.entries(recs))])));
  const problems: { path: string; line: number; column: number; message: string }[] = [];
  const modules = new Map<string, FragmentModule>();
  const fragments = Object.entries(sources).map(([name, source]) => {
    if (typeof source !== 'string') modules.set(`/t/${name}`, source);
    return { name, path: `/t/${name}`, source: typeof source === 'string' ? source : '' };
  });
  const text = renderTemplate({ templatePath: '/etc/x', fragments, dirs: [] }, access.configurationRoot(), {
    access,
    modules,
    missingModules: new Set(),
    problems,
    compiler,
  });
  // (the ` [E_TPL_UNSAFE_VALUE]` suffix that locate.ts adds is not what these tests are about)
  return { text, messages: problems.map((p) => `${p.path}: ${p.message.replace(/ \[E_TPL_UNSAFE_VALUE\]$/, '')}`) };
}

const ADDRESS = `/t/10: configuration httpd-e-smith ListenAddress is not an IP address (IPv4, or IPv6 in brackets): ${JSON.stringify(POC)}`;

describe('the unsafe-value guard', () => {
  it('Handlebars: printing a value that fails its format fails the fragment, naming db, key, prop and value', () => {
    assert.deepEqual(render({ '10': 'Listen {{httpd-e-smith.ListenAddress}}:80\n' }).messages, [ADDRESS]);
    assert.deepEqual(render({ '10': 'Listen {{prop "httpd-e-smith" "ListenAddress"}}\n' }).messages, [ADDRESS]);
    assert.deepEqual(render({ '10': '{{#with (or httpd-e-smith.ListenAddress "*") as |a|}}{{a}}{{/with}}' }).messages, [ADDRESS]);
  });

  it('quoting does not make a wrong value right: shellQuote and apacheQuote refuse it too', () => {
    assert.deepEqual(render({ '10': 'CURL_OPTS="--cacert "{{shellQuote letsencrypt.CABundle}}\n' }).messages, [
      '/t/10: configuration letsencrypt CABundle is not a plain absolute path (letters, digits, / . _ - + , @ % = ~): "/tmp/ca.pem --insecure"',
    ]);
    assert.deepEqual(render({ '10': '{{apacheQuote modSSL.TCPPort}}' }).messages, ['/t/10: configuration modSSL TCPPort is not a port number (1-65535): "443 https"']);
    // a value whose only fault is a newline can still be shell-quoted, as before
    assert.equal(render({ '10': '{{shellQuote modSSL.note}}' }).text, "'two\nlines'");
  });

  it('comparisons see the text; raw prints it on purpose; good values print as they are', () => {
    const { text, messages } = render({ '10': '{{#if (eq modSSL.TCPPort "443 https")}}same{{/if}} {{raw httpd-e-smith.ListenAddress}} {{httpd-e-smith.TCPPort}} {{DomainName}}\n' });
    assert.deepEqual(messages, []);
    assert.equal(text, `same ${POC} 80 example.com\n`);
  });

  it('record keys that must be names: a view\'s key and keys() are guarded', () => {
    assert.deepEqual(render({ '10': '{{#each (records "domains")}}ServerName {{key}}\n{{/each}}' }).messages, ['/t/10: a key of domains is not a domain name: "evil.com>"']);
    assert.deepEqual(render({ '10': '{{#each (keys "domains")}}{{this}} {{/each}}' }).messages, ['/t/10: a key of domains is not a domain name: "evil.com>"']);
    assert.deepEqual(render({ '10': '{{prop "evil.com>" "ProxyPassTarget" db="domains"}}' }).messages, [
      '/t/10: domains evil.com> ProxyPassTarget is not an http(s) URL without blanks, quotes or shell characters: "http://h/ retry=0"',
    ]);
  });

  it('a JavaScript fragment that interpolates a bad prop fails (template literal, String, +, join, JSON)', () => {
    const attempts: ((c: FragmentContext) => unknown)[] = [
      ({ prop }) => `Listen ${prop('httpd-e-smith', 'ListenAddress')}:80\n`,
      ({ db }) => 'Listen ' + String(db('configuration', 'httpd-e-smith', 'ListenAddress')),
      ({ data }) => 'Listen ' + (data['httpd-e-smith'] as Record<string, string>)['ListenAddress'],
      ({ records }) => records('configuration').map((r) => r['ListenAddress']).filter(Boolean).join(' '),
      ({ prop }) => JSON.stringify({ listen: prop('httpd-e-smith', 'ListenAddress') }),
    ];
    for (const attempt of attempts) assert.deepEqual(render({ '10.mjs': attempt }).messages, [ADDRESS.replace('/t/10:', '/t/10.mjs:')], attempt.toString());
  });

  it('a JavaScript fragment: data it computes carries the guard to the fragment that prints it', () => {
    const vars: FragmentModule = ({ data, prop }) => {
      Object.assign(data, { sslPort: prop('modSSL', 'TCPPort', '443'), httpPort: prop('httpd-e-smith', 'TCPPort', '80') });
      return '';
    };
    assert.deepEqual(render({ '05vars.mjs': vars, '40Listen': 'Listen {{httpPort}}\nListen {{sslPort}} https\n' }).messages, [
      '/t/40Listen: configuration modSSL TCPPort is not a port number (1-65535): "443 https"',
    ]);
  });

  it('a JavaScript fragment: comparisons fail, raw() gives the text, names work as lookup arguments', () => {
    const module: FragmentModule = ({ prop, raw, keys, db }) => {
      const bad = prop('modSSL', 'TCPPort');
      const names = keys('domains').map((key) => `${raw(key)}=${raw(db('domains', key, 'ProxyPassTarget')) ?? '-'}`);
      return `${String(bad === '443 https')} ${raw(bad)} ${names.join(',')}\n`;
    };
    assert.deepEqual(render({ '10.mjs': module }), { text: 'false 443 https evil.com>=http://h/ retry=0,example.com=-\n', messages: [] });
  });
});
