// signal-event console-save, the stock event (defaults, directories, the
// self-signed certificate, the expand step with apache2 -t as httpd.conf's
// CHECK where apache2 is installed, services2adjust, the Let's Encrypt terms
// check) on sqlite, in a scratch root with the stock databases initialised
// and 1,000 domains (and 10,000 without --quick). Wall time with nothing
// changed (target at 1,000 domains: < 300 ms; no file rewritten) and cold
// (the generated files, the compiled-fragment cache and the recorded reads
// gone: a first run), median, × a bare `node -e 0` of the same sitting.
// No service is controlled (SMECONF_SERVICE_MANAGER=none: no systemd here).
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_BIN, QUICK, SMECONF_BIN, importDomains, machine, median, medians, ratioLine, runOrThrow, scratchRoot } from './_measure.mjs';

const OUTPUTS = ['etc/httpd/conf/httpd.conf', 'etc/dehydrated/config', 'etc/dehydrated/domains.txt', 'etc/cron.daily/letsencrypt', 'usr/bin/hook-script.sh'];
const APACHE = '/usr/sbin/apache2';

function setUp(domains) {
  const scratch = scratchRoot();
  const env = { ...scratch.env, SMECONF_SERVICE_MANAGER: 'none' };
  runOrThrow(['node', EVENT_BIN, 'bootstrap-console-save'], env);
  importDomains(scratch.root, env, domains, 'Content|Primary|Description|Domain {i}|letsencryptSSLcert|enabled');
  runOrThrow(['node', EVENT_BIN, 'console-save'], env); // writes the files, records the reads, fills the compile cache
  return { ...scratch, env };
}

/** What a first run finds: no generated file, no compiled fragment, no recorded reads. */
function makeCold(scratch) {
  for (const output of OUTPUTS) rmSync(join(scratch.root, output), { force: true });
  rmSync(join(scratch.root, 'var/cache/smeconf'), { recursive: true, force: true });
  const empty = join(scratch.root, 'empty.flat');
  writeFileSync(empty, '');
  runOrThrow(['node', SMECONF_BIN, 'import', 'template-reads', empty], scratch.env);
}

const stamps = (scratch) => OUTPUTS.map((output) => {
  const stat = statSync(join(scratch.root, output), { bigint: true });
  return `${stat.ino}:${stat.mtimeNs}`;
});

/** Each handler's median ms over a few `--json` runs (what the event's time is made of). */
function handlerTimes(scratch, runs) {
  const times = {};
  for (let i = 0; i < runs; i++) {
    const lines = runOrThrow(['node', EVENT_BIN, '--json', 'console-save'], scratch.env).trim().split('\n').map((line) => JSON.parse(line));
    for (const line of lines) if (line.type === 'end') (times[line.handler] ??= []).push(line.ms);
  }
  return Object.entries(times).map(([handler, ms]) => `${handler} ${median(ms)}`).join(', ');
}

console.log(`machine: ${machine()}`);
for (const domains of QUICK ? [1_000] : [1_000, 10_000]) {
  const scratch = setUp(domains);
  try {
    const rounds = domains > 1_000 ? 5 : 15;
    const before = stamps(scratch);
    const httpd = join(scratch.root, OUTPUTS[0]);
    const m = medians({
      'node -e 0': () => [['node', '-e', '0'], process.env],
      'console-save, nothing changed': () => [['node', EVENT_BIN, 'console-save'], scratch.env],
      ...(existsSync(APACHE) && { 'apache2 -t of its httpd.conf (the CHECK)': () => [[APACHE, '-t', '-f', httpd], process.env] }),
    }, rounds);
    const rewritten = stamps(scratch).filter((stamp, i) => stamp !== before[i]).length;
    const cold = [];
    for (let i = 0; i < Math.max(3, rounds / 3); i++) {
      makeCold(scratch);
      const start = process.hrtime.bigint();
      runOrThrow(['node', EVENT_BIN, 'console-save'], scratch.env);
      cold.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const bare = m['node -e 0'];
    console.log(`${domains} domains (httpd.conf ${statSync(httpd).size} bytes), median of ${rounds}:`);
    console.log(`  ${ratioLine('node -e 0', bare, bare)}`);
    console.log(`  ${ratioLine('console-save, nothing changed', m['console-save, nothing changed'], bare)}  files rewritten: ${rewritten}`);
    console.log(`  ${ratioLine('console-save, cold (first run)', median(cold), bare)}`);
    if (m['apache2 -t of its httpd.conf (the CHECK)'] !== undefined) console.log(`  ${ratioLine('apache2 -t of its httpd.conf (the CHECK)', m['apache2 -t of its httpd.conf (the CHECK)'], bare)}`);
    console.log(`  handlers, nothing changed (ms): ${handlerTimes(scratch, 5)}`);
  } finally {
    scratch.remove();
  }
}
