// The certificate surfaces of issue #13 at 100 names (sqlite scratch root,
// letsencrypt configure domains over 100 domain records, everything on
// 127.0.0.1):
//
// (1) `smeconf cert status`: a deployed openssl certificate with the 100
//     names as SANs (signed by a CA the root's CABundle names), the served
//     check against a node:tls server (a child process: the timing blocks
//     this one) presenting it, and with nothing listening on the HTTPS port.
//     Target: < 1 s. Median, × a bare `node -e 0` of the same sitting.
// (2) `smeconf cert check` (the preflight): the 100 names resolving through
//     pebble-challtestsrv (letsencrypt CheckResolver) to 127.0.0.1
//     (PublicAddress), the challenge path served by a node HTTP server (a
//     child process) from the root's challenge directory; median wall time
//     and × its timeout (the default 10 s).
// (3) The same against a dead DNS server (a UDP socket of this process that
//     never answers), `--timeout 2`: the run is bounded by the timeout, not
//     100 × it; and the library's preflight() in this process (importPackage:
//     no process start), timeoutMs 2000. Printed as × the timeout.
//
// Needs openssl and /usr/bin/pebble-challtestsrv (apt-get install pebble);
// says so and stops without them. `--quick`: fewer rounds.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CONFIG_BIN, QUICK, SMECONF_BIN, importDomains, importPackage, machine, median, medians, ratioLine, runOrThrow, scratchRoot } from './_measure.mjs';

const NAMES = 100;
const CHALLTESTSRV = '/usr/bin/pebble-challtestsrv';
const CHALLENGE_DIR = 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge';
const ROUNDS = QUICK ? 5 : 20;
const DEAD_ROUNDS = QUICK ? 1 : 3;
const DEAD_TIMEOUT_S = 2;

if (!existsSync(CHALLTESTSRV) || spawnSync('openssl', ['version']).status !== 0) {
  console.log(`skipped: needs openssl and ${CHALLTESTSRV} (apt-get install pebble)`);
  process.exit(0);
}

const freePort = () => new Promise((resolve, reject) => {
  const server = createServer().on('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

/** Children started here, stopped by PID at the end whatever happens. */
const children = [];
function start(argv) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}
process.on('exit', () => children.forEach((child) => child.kill()));

async function until(what, probe) {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A CA and a leaf for `names` signed by it, in dir. */
function certificates(dir, names) {
  const openssl = (...args) => runOrThrow(['openssl', ...args]);
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '30', '-subj', '/CN=bench CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}\nbasicConstraints=CA:FALSE\n`);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'leaf.key'), '-out', join(dir, 'leaf.csr'), '-subj', `/CN=${names[0]}`);
  openssl('x509', '-req', '-in', join(dir, 'leaf.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-set_serial', '0x1001', '-days', '90', '-extfile', join(dir, 'leaf.ext'), '-out', join(dir, 'leaf.crt'));
  writeFileSync(join(dir, 'chain.pem'), '');
}

/** A TLS server presenting the leaf, and an HTTP server of the challenge directory: one child process. */
const SERVERS = `
import { createServer } from 'node:http';
import { createServer as tls } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const [dir, challengeDir, tlsPort, httpPort] = process.argv.slice(1);
tls({ cert: readFileSync(join(dir, 'leaf.crt')), key: readFileSync(join(dir, 'leaf.key')) }, (socket) => socket.end()).listen(Number(tlsPort), '127.0.0.1');
createServer((request, response) => {
  const token = /^\\/\\.well-known\\/acme-challenge\\/([\\w-]+)$/.exec(request.url)?.[1];
  let body;
  try { body = readFileSync(join(challengeDir, token ?? '-')); } catch { response.writeHead(404).end(); return; }
  response.writeHead(200).end(body);
}).listen(Number(httpPort), '127.0.0.1');
`;

/** Median ms of `rounds` runs of argv, any exit status in `statuses`. */
function timed(argv, env, statuses, rounds) {
  const samples = [];
  for (let round = -1; round < rounds; round++) {
    const begin = process.hrtime.bigint();
    const result = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - begin) / 1e6;
    if (!statuses.includes(result.status)) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stdout}${result.stderr}`);
    if (round >= 0) samples.push(ms);
  }
  return median(samples);
}

console.log(`machine: ${machine()}`);
const scratch = scratchRoot();
try {
  const { root, env } = scratch;
  const names = Array.from({ length: NAMES }, (_, i) => `d${i}.example.com`);
  const certs = join(root, 'etc/certs');
  mkdirSync(certs, { recursive: true });
  certificates(certs, names);
  importDomains(root, env, NAMES);
  const [tlsPort, httpPort, dnsPort, dnsManagement, nobody] = await Promise.all(Array.from({ length: 5 }, freePort));
  const config = (...args) => runOrThrow([process.execPath, CONFIG_BIN, ...args], env);
  config('set', 'DomainName', names[0]);
  config('set', 'letsencrypt', 'service', 'status', 'enabled', 'configure', 'domains', 'CABundle', join(certs, 'ca.crt'), 'CheckResolver', `127.0.0.1:${dnsPort}`, 'PublicAddress', '127.0.0.1');
  config('set', 'modSSL', 'service', 'status', 'enabled', 'TCPPort', String(tlsPort), 'crt', join(certs, 'leaf.crt'), 'key', join(certs, 'leaf.key'), 'CertificateChainFile', join(certs, 'chain.pem'));
  config('set', 'httpd-e-smith', 'service', 'TCPPort', String(httpPort));

  start([process.execPath, '--input-type=module', '-e', SERVERS, certs, join(root, CHALLENGE_DIR), String(tlsPort), String(httpPort)]);
  start([CHALLTESTSRV, '-defaultIPv4', '', '-defaultIPv6', '', '-dns01', `127.0.0.1:${dnsPort}`, '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', `127.0.0.1:${dnsManagement}`]);
  await until('challtestsrv', () => fetch(`http://127.0.0.1:${dnsManagement}/`).then(() => true, () => false));
  for (const name of names) await fetch(`http://127.0.0.1:${dnsManagement}/add-a`, { method: 'POST', body: JSON.stringify({ host: name, addresses: ['127.0.0.1'] }) });
  await until('the HTTP server', () => fetch(`http://127.0.0.1:${httpPort}/`).then(() => true, () => false));

  // (1) cert status, and (2) cert check with everything answering: both exit 0
  const status = [process.execPath, SMECONF_BIN, 'cert', 'status'];
  const check = [process.execPath, SMECONF_BIN, 'cert', 'check'];
  const served = runOrThrow(status, env);
  if (!/^status: OK$/m.test(served)) throw new Error(`cert status is not OK:\n${served}`);
  const m = medians({ 'node -e 0': () => [[process.execPath, '-e', '0'], env], status: () => [status, env], check: () => [check, env] }, ROUNDS);
  console.log(`${NAMES} names, median of ${ROUNDS}:`);
  console.log(`  ${ratioLine('node -e 0', m['node -e 0'], m['node -e 0'], 60)}`);
  console.log(`  ${ratioLine('cert status, served check against a TLS server', m.status, m['node -e 0'], 60)}  (target < 1000 ms)`);
  config('setprop', 'modSSL', 'TCPPort', String(nobody));
  const unserved = timed(status, env, [10], ROUNDS);
  console.log(`  ${ratioLine('cert status, nothing on the HTTPS port (exit 10)', unserved, m['node -e 0'], 60)}  (target < 1000 ms)`);
  console.log(`  ${ratioLine('cert check, all resolving and served', m.check, m['node -e 0'], 60)}  ${(m.check / 10_000).toFixed(3)}× its timeout (10 s)`);

  // (3) a dead DNS server: the bin, then the library in this process
  const silent = createSocket('udp4');
  await new Promise((resolve) => silent.bind(0, '127.0.0.1', resolve));
  const dead = `127.0.0.1:${silent.address().port}`;
  config('setprop', 'letsencrypt', 'CheckResolver', dead);
  const bin = timed([...check, '--timeout', String(DEAD_TIMEOUT_S)], env, [11], DEAD_ROUNDS);
  console.log(`  ${ratioLine(`cert check, dead DNS server, --timeout ${DEAD_TIMEOUT_S}`, bin, m['node -e 0'], 60)}  ${(bin / (DEAD_TIMEOUT_S * 1000)).toFixed(2)}× the timeout`);
  const { preflight } = await importPackage('certificates/dist/index.js');
  const library = [];
  for (let round = 0; round < DEAD_ROUNDS; round++) {
    const begin = process.hrtime.bigint();
    const outcomes = await preflight({ names, resolverServers: [dead], serverAddresses: ['127.0.0.1'], httpPort, challengeDir: join(root, CHALLENGE_DIR), root, timeoutMs: DEAD_TIMEOUT_S * 1000 });
    library.push(Number(process.hrtime.bigint() - begin) / 1e6);
    if (!outcomes.every((outcome) => outcome.code === 'E_DNS_TIMEOUT')) throw new Error(`expected E_DNS_TIMEOUT for every name: ${JSON.stringify(outcomes[0])}`);
  }
  const inProcess = median(library);
  console.log(`  ${`preflight() in process, dead DNS server, ${DEAD_TIMEOUT_S} s`.padEnd(60)} ${inProcess.toFixed(1).padStart(7)} ms  ${(inProcess / (DEAD_TIMEOUT_S * 1000)).toFixed(2)}× the timeout`);
  silent.close();
} finally {
  for (const child of children) child.kill();
  scratch.remove();
}
