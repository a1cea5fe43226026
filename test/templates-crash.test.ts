import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, makeScratch, run } from './helpers/cli.ts';

const DOMAINS = 10_000;
const KILL_DELAYS_MS = [60, 120, 180, 250, 320, 400, 500, 650, 800, 1000];

describe('kill -9 during a large expansion', function () {
  this.timeout(240_000);

  it('never leaves a partial target: the old file or the whole new one', async () => {
    const scratch = makeScratch('sqlite');
    try {
      const tpl = join(scratch.path, 'etc/e-smith/templates/etc/big.conf');
      mkdirSync(join(tpl, 'Entry'), { recursive: true });
      writeFileSync(join(tpl, 'template-begin'), '');
      writeFileSync(join(tpl, '10entries'), '{{#each (keys "domains")}}{{expand "Entry" name=this}}{{/each}}');
      writeFileSync(join(tpl, '99end'), '# complete\n');
      writeFileSync(join(tpl, 'Entry/template-begin'), '');
      writeFileSync(join(tpl, 'Entry/10'), '<Domain {{name}}>\n  Alias www.{{name}} mail.{{name}} {{prop "modSSL" "TCPPort" "443"}}\n</Domain>\n');
      const flat = join(scratch.path, 'domains.flat');
      writeFileSync(flat, Array.from({ length: DOMAINS }, (_, i) => `d${i}.example.com=domain\n`).join(''));
      assert.equal(run(scratch, 'smeconf', ['import', 'domains', flat]).status, 0);
      const target = join(scratch.path, 'etc/big.conf');
      const old = 'old content\n';

      for (const delay of KILL_DELAYS_MS) {
        writeFileSync(target, old);
        await new Promise<void>((resolve) => {
          const child = spawn(process.execPath, [binPath('expand-template'), '/etc/big.conf'], { env: scratch.env, stdio: 'ignore' });
          const timer = setTimeout(() => child.kill('SIGKILL'), delay);
          child.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        const text = readFileSync(target, 'utf8');
        const complete = text.endsWith('# complete\n') && text.split('<Domain ').length === DOMAINS + 1;
        assert.ok(text === old || complete, `after a kill at ${delay} ms: ${text.length} bytes, neither old nor complete`);
      }
    } finally {
      scratch.remove();
    }
  });
});
