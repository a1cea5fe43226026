// signal-event for an event with 50 templates of 10 fragments each and no
// services: wall time cold (every file new) and with nothing changed
// (target: under 1.5× a bare node start plus the time to render; no file
// rewritten). --quick: fewer rounds.
import { mkdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DB_BIN, EVENT_BIN, QUICK, REPO, importPackage, machine, median, medians, ratioLine, runOrThrow, scratchRoot } from './_measure.mjs';

const { ConfigDb } = await importPackage('db/dist/index.js');
const { SqliteBackend } = await importPackage('db-sqlite/dist/index.js');
const { LoadCache, defaultQueue, renderTarget } = await importPackage('templates/dist/index.js');

const TEMPLATES = 50;
const ROUNDS = QUICK ? 8 : 20;
const FRAGMENTS = 10;

const scratch = scratchRoot();
const paths = Array.from({ length: TEMPLATES }, (_, t) => `/etc/bench/file${t}.conf`);
try {
  runOrThrow(['node', DB_BIN, 'configuration', 'set', 'DomainName', 'example.com'], scratch.env);
  runOrThrow(['node', DB_BIN, 'configuration', 'set', 'modSSL', 'service', 'TCPPort', '443', 'status', 'enabled'], scratch.env);
  mkdirSync(join(scratch.root, 'etc/bench'), { recursive: true });
  for (const path of paths) {
    const dir = join(scratch.root, 'etc/e-smith/templates', path);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FRAGMENTS; f++) {
      writeFileSync(join(dir, `${f}0frag`), `# fragment ${f} of ${path}\nServerName www.{{DomainName}}\n{{#if (eq modSSL.status "enabled")}}Listen {{modSSL.TCPPort}}\n{{/if}}Port {{prop "httpd-e-smith" "TCPPort" "80"}}\n`);
    }
    const marker = join(scratch.root, 'etc/e-smith/events/bench-event/templates2expand', path);
    mkdirSync(join(marker, '..'), { recursive: true });
    writeFileSync(marker, '');
  }

  // The render alone, in process (what the event must pay beyond starting node).
  const backend = new SqliteBackend({ file: join(scratch.root, 'home/e-smith/db/smeconf.sqlite') });
  const loadDb = async (name) => new Map((await new ConfigDb(backend, name).list()).map((r) => [r.key, r]));
  const renderTimes = [];
  for (let i = 0; i < (QUICK ? 5 : 10); i++) {
    const cache = new LoadCache();
    const start = process.hrtime.bigint();
    for (const path of paths) await renderTarget(path, { queue: defaultQueue(scratch.root, REPO), loadDb, warn: () => {} }, cache);
    renderTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await backend.close();
  const firstRender = renderTimes[0];

  const cold = [];
  for (let i = 0; i < (QUICK ? 3 : 5); i++) {
    rmSync(join(scratch.root, 'etc/bench'), { recursive: true, force: true });
    mkdirSync(join(scratch.root, 'etc/bench'));
    const start = process.hrtime.bigint();
    runOrThrow(['node', EVENT_BIN, 'bench-event'], scratch.env);
    cold.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const mtimes = () => paths.map((path) => statSync(join(scratch.root, path), { bigint: true }).mtimeNs);
  const before = mtimes();
  const m = medians({
    'node -e 0': () => [['node', '-e', '0'], process.env],
    'signal-event, nothing changed': () => [['node', EVENT_BIN, 'bench-event'], scratch.env],
  }, ROUNDS);
  const rewritten = mtimes().filter((t, i) => t !== before[i]).length;
  const bare = m['node -e 0'];
  const budget = 1.5 * bare + firstRender;
  console.log(`machine: ${machine()}`);
  console.log(`render of ${TEMPLATES} templates × ${FRAGMENTS} fragments in process: first ${firstRender.toFixed(0)} ms (compiling), warm median ${median(renderTimes.slice(1)).toFixed(0)} ms`);
  console.log(ratioLine('node -e 0', bare, bare));
  console.log(ratioLine(`signal-event cold (${TEMPLATES} new files)`, median(cold), bare));
  console.log(`${ratioLine('signal-event, nothing changed', m['signal-event, nothing changed'], bare)}  (budget 1.5 × node + first render = ${budget.toFixed(0)} ms); files rewritten: ${rewritten}`);
} finally {
  scratch.remove();
}
