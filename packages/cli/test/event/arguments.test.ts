import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/io.ts';
import { eventMain } from '../../src/event/main.ts';

// The hand parser stays (docs/decisions.md, issue #11 item 5): these are the
// rules it keeps, run in process.
describe('signal-event arguments (in process)', () => {
  let dir: string;
  let root: string;
  let out: string;
  let err: string;
  const io: Io = { out: (text) => (out += text), err: (text) => (err += text) };
  const main = (argv: string[]) => eventMain(argv, io, { env: { PATH: process.env['PATH'], SMECONF_SERVICE_MANAGER: 'none' }, stockDir: join(dir, 'stock') });

  beforeEach(() => {
    out = err = '';
    dir = mkdtempSync(join(tmpdir(), 'smeconf-event-args-'));
    root = join(dir, 'root');
    mkdirSync(join(dir, 'stock/events'), { recursive: true });
    mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
    mkdirSync(join(root, 'etc/e-smith/events/note'), { recursive: true });
    writeFileSync(join(root, 'etc/e-smith/events/note/S10note'), '#!/bin/sh\necho "$@" >> "$SMECONF_ROOT/journal"\n');
    chmodSync(join(root, 'etc/e-smith/events/note/S10note'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('after the event name everything is an argument, even one starting with -, as in SME', async () => {
    assert.equal(await main(['--root', root, 'note', '-x', '--json', '--', '--help']), 0);
    assert.equal(readFileSync(join(root, 'journal'), 'utf8'), 'note -x --json -- --help\n');
    assert.deepEqual([out, err], ['', '']);
  });

  it('options before it, --root=DIR, and -- ending them', async () => {
    assert.equal(await main([`--root=${root}`, '--json', '--', 'note', 'a']), 0);
    assert.equal(readFileSync(join(root, 'journal'), 'utf8'), 'note a\n');
    assert.deepEqual(out.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type), ['start', 'end', 'result']);
  });

  it('--list, and an unknown option before the event is a usage error (exit 2)', async () => {
    assert.equal(await main(['--root', root, '--list']), 0);
    assert.equal(out, 'note\n');
    out = '';
    assert.equal(await main(['--root', root, '-x', 'note']), 2);
    assert.match(err, /^signal-event: unknown option -x \[E_USAGE\]\nusage: signal-event /);
  });
});
