// Runs the bench scripts one after the other: `npm run bench` (every size,
// a few minutes: the watch benchmark idles 60 s) or `npm run bench:quick`
// (the figures issue #12 sets targets for, at their small sizes, under a
// minute). `-- --tree DIR` measures another checkout's build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const QUICK = ['db-cli.mjs', 'db-api.mjs', 'templates-httpd.mjs', 'console-save.mjs'];
const FULL = [...QUICK, 'events-expand.mjs', 'signal-event-parser.mjs', 'watch.mjs', 'db-concurrency.mjs', 'db-crash.mjs', 'templates-crash.mjs', 'cert.mjs', 'fleet.mjs'];
const args = process.argv.slice(2);

for (const script of args.includes('--quick') ? QUICK : FULL) {
  console.log(`\n== bench/${script} ${args.join(' ')}`);
  const path = fileURLToPath(new URL(script, import.meta.url));
  const run = spawnSync(process.execPath, [path, ...args], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
