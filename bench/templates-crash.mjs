// kill -9 of expand-template at timed moments during a large expansion, at
// the big size of test/templates-crash.test.ts (which stops the writer at
// exact points of a 1,000-domain write instead). A stress run: each line
// says whether the target was the old file or the whole new one.
//   node bench/templates-crash.mjs [DOMAINS] [DELAY_MS…]   (default 10000, 60 … 1000)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, importDomains, machine, scratchRoot } from './_measure.mjs';

const DOMAINS = Number(process.argv[2] ?? 10_000);
const DELAYS = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [60, 120, 180, 250, 320, 400, 500, 650, 800, 1000];
const EXPAND_BIN = join(REPO, 'packages/cli/bin/expand-template.cjs');

console.log(`machine: ${machine()}; ${DOMAINS} domains`);
const scratch = scratchRoot();
let violations = 0;
try {
  const tpl = join(scratch.root, 'etc/e-smith/templates/etc/big.conf');
  mkdirSync(join(tpl, 'Entry'), { recursive: true });
  writeFileSync(join(tpl, 'template-begin'), '');
  writeFileSync(join(tpl, '10entries'), '{{#each (keys "domains")}}{{expand "Entry" name=this}}{{/each}}');
  writeFileSync(join(tpl, '99end'), '# complete\n');
  writeFileSync(join(tpl, 'Entry/template-begin'), '');
  writeFileSync(join(tpl, 'Entry/10'), '<Domain {{name}}>\n  Alias www.{{name}} mail.{{name}} {{prop "modSSL" "TCPPort" "443"}}\n</Domain>\n');
  importDomains(scratch.root, scratch.env, DOMAINS, '');
  const target = join(scratch.root, 'etc/big.conf');
  const old = 'old content\n';
  for (const delay of DELAYS) {
    writeFileSync(target, old);
    const fate = await new Promise((resolve) => {
      const child = spawn(process.execPath, [EXPAND_BIN, '/etc/big.conf'], { env: scratch.env, stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      child.on('close', (_status, signal) => {
        clearTimeout(timer);
        resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
      });
    });
    const text = readFileSync(target, 'utf8');
    const complete = text.endsWith('# complete\n') && text.split('<Domain ').length === DOMAINS + 1;
    const state = text === old ? 'old' : complete ? 'new' : 'neither';
    if (state === 'neither') violations++;
    console.log(`${String(delay).padStart(5)} ms: ${fate.padEnd(8)} → ${state} (${text.length} bytes)`);
  }
} finally {
  scratch.remove();
}
console.log(violations === 0 ? 'every kill left the old file or the whole new one' : `${violations} kill(s) left a partial file`);
process.exitCode = violations === 0 ? 0 : 1;
