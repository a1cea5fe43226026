import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Io } from '../../src/io.ts';
import { smeconfMain } from '../../src/smeconf/main.ts';

async function waitFor(what: string, probe: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 15_000; !probe(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('smeconf watch --event (in process)', function () {
  this.timeout(30_000);
  it('runs the event through the events library: no signal-event bin is needed beside the stock trees (an install)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smeconf-watch-event-'));
    // the stock trees only, as an install ships them: no packages/cli/bin here
    const stock = join(dir, 'stock');
    mkdirSync(join(stock, 'events'), { recursive: true });
    const root = join(dir, 'root');
    mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
    put(join(root, 'etc/e-smith/templates/etc/note.conf/10'), 'one\n');
    const handler = join(root, 'etc/e-smith/events/note-update/S10note');
    put(handler, '#!/bin/sh\necho "event $1" >> "$SMECONF_ROOT/journal"\n');
    chmodSync(handler, 0o755);
    const journal = () => (existsSync(join(root, 'journal')) ? readFileSync(join(root, 'journal'), 'utf8') : '');
    let output = '';
    const io: Io = { out: (text) => (output += text), err: (text) => (output += text) };
    const env = { PATH: process.env['PATH'], SMECONF_SERVICE_MANAGER: 'none' };
    const watching = smeconfMain(['watch', '--root', root, '--event', 'note-update', '/etc/note.conf'], io, { env, stockDir: stock });
    try {
      await waitFor('the watcher to be ready', () => output.includes('watching 1 target'));
      put(join(root, 'etc/e-smith/templates/etc/note.conf/10'), 'two\n');
      await waitFor('the event', () => journal() !== '' || /error|failed/i.test(output));
      assert.equal(journal(), 'event note-update\n', output);
      assert.equal(existsSync(join(root, 'etc/note.conf')), false, 'the watcher itself wrote nothing');
    } finally {
      process.emit('SIGTERM');
      assert.equal(await watching, 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
