import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { killMidWrite } from './helpers/kill-mid-write.ts';
import type { PausePoint } from './helpers/kill-mid-write.ts';

// expand-template is stopped at an exact point of its write and killed there
// (test/helpers/pause-in-write.cjs); bench/templates-crash.mjs kills a
// 10,000-domain expansion at random moments.
const DOMAINS = 1_000;
const TEMP = '/\\.big\\.conf\\.smeconf-';

function setUp(scratch: Scratch): string {
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
  return join(scratch.path, 'etc/big.conf');
}

const complete = (text: string) => text.endsWith('# complete\n') && text.split('<Domain ').length === DOMAINS + 1;

describe('kill -9 inside the write of an expansion', function () {
  this.timeout(60_000);
  const points: [string, PausePoint, 'old' | 'new'][] = [
    ['half-way through writing the temp file', { at: 'writeSync', match: TEMP, when: 'half' }, 'old'],
    ['before the temp file is fsynced', { at: 'fsyncSync', match: TEMP }, 'old'],
    ['before the rename', { at: 'renameSync', match: '/big\\.conf$' }, 'old'],
    ['after the rename', { at: 'renameSync', match: '/big\\.conf$', when: 'after' }, 'new'],
  ];
  let scratch: Scratch;
  let target: string;
  before(() => {
    scratch = makeScratch('sqlite');
    target = setUp(scratch);
  });
  after(() => scratch.remove());

  for (const [where, point, expected] of points) {
    it(`killed ${where}: the ${expected === 'old' ? 'old file, byte for byte' : 'whole new file'}, never a part`, async () => {
      const old = 'old content\n';
      writeFileSync(target, old);
      assert.match(await killMidWrite(scratch, 'expand-template', ['/etc/big.conf'], point), /paused/);
      const text = readFileSync(target, 'utf8');
      if (expected === 'old') assert.ok(text === old, `the old file, got ${text.length} bytes`);
      else assert.ok(complete(text), `the whole new file, got ${text.length} bytes`);
    });
  }
});
