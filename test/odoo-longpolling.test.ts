import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { Scratch } from './helpers/cli.ts';
import { Processes, freePort, waitFor } from './helpers/processes.ts';
import { CUSTOM_VH, HTTPD, docBlock, ok, put, serverWith } from './helpers/sme-server.ts';

// docs/records.md's Odoo example (issue #10 item 8): a custom fragment's
// ProxyPass /longpolling/ must come before the stock catch-all ProxyPass /.

/** A tiny backend on 127.0.0.1 answering `NAME path=…`. */
function backend(name: string): Promise<Server> {
  const server = createServer((request, response) => response.end(`${name} path=${request.url}\n`));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

/** GET through Apache with a Host header (TLS unverified: any certificate the setup has). */
function fetchVia(port: number, tls: boolean, host: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path, headers: { host }, servername: host, rejectUnauthorized: false, timeout: 5000 };
    const request = tls ? httpsRequest(options) : get(options);
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(`${response.statusCode} ${body}`));
    });
    request.on('error', reject);
    if (tls) request.end();
  });
}

describe('the Odoo example of docs/records.md, through a real Apache on 127.0.0.1', function () {
  this.timeout(60_000);
  const processes = new Processes();
  const servers: Server[] = [];
  let scratch: Scratch | undefined;

  before(function () {
    if (!existsSync('/usr/sbin/apache2')) {
      console.error('\n*** SKIPPING the Odoo longpolling test: /usr/sbin/apache2 not installed (apt-get install apache2) ***\n');
      this.skip();
    }
  });

  after(async () => {
    await processes.stopAll();
    for (const server of servers) server.close();
    scratch?.remove();
  });

  it('the custom 55Odoo fragment sends /longpolling/ to its backend, everything else goes to ProxyPassTarget', async () => {
    const [odoo, longpolling] = [await backend('ODOO'), await backend('LONGPOLLING')];
    servers.push(odoo, longpolling);
    scratch = serverWith(['example.test']);
    const R = scratch.path;
    chmodSync(R, 0o755); // Apache's children (www-data when we are root) traverse it
    mkdirSync(join(R, 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge'), { recursive: true });
    const [http, https] = [await freePort(), await freePort()];
    ok(scratch, 'db', ['domains', 'set', 'odoo.example.com', 'domain', 'ProxyPassTarget', `http://127.0.0.1:${portOf(odoo)}/`]);
    ok(scratch, 'config', ['setprop', 'httpd-e-smith', 'TCPPort', String(http), 'ListenAddress', '127.0.0.1']);
    ok(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', String(https)]);
    if (process.getuid?.() !== 0) ok(scratch, 'config', ['delprop', 'httpd-e-smith', 'User', 'Group']);
    const fragment = docBlock('records.md', 'VirtualHosts/55Odoo').replaceAll('http://127.0.0.1:8072/', `http://127.0.0.1:${portOf(longpolling)}/`);
    assert.match(fragment, /ProxyPass \/longpolling\//);
    put(scratch, `${CUSTOM_VH}/55Odoo`, fragment);
    ok(scratch, 'expand-template', [HTTPD]);

    // the VirtualHost of odoo.example.com that proxies: on https once a certificate exists, else on http
    const conf = readFileSync(join(R, HTTPD), 'utf8');
    const proxying = conf.split('<VirtualHost ').find((v) => v.includes('ServerName odoo.example.com') && v.includes('ProxyPass /longpolling/'));
    assert.ok(proxying !== undefined, conf);
    const tls = proxying.includes('SSLEngine on');
    const port = tls ? https : http;
    processes.start(['/usr/sbin/apache2', '-f', join(R, HTTPD), '-D', 'FOREGROUND'], join(R, 'apache.log'));
    await waitFor('Apache', () => fetchVia(port, tls, 'odoo.example.com', '/').catch(() => ''));

    assert.equal(await fetchVia(port, tls, 'odoo.example.com', '/longpolling/poll?x=1'), '200 LONGPOLLING path=/longpolling/poll?x=1\n');
    assert.equal(await fetchVia(port, tls, 'odoo.example.com', '/web/login'), '200 ODOO path=/web/login\n');
  });
});
