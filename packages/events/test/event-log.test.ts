import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { EventLog } from '../src/event-log.ts';

describe('EventLog', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('appends JSON lines, creating its directory', () => {
    const path = join(dir.path, 'log/events.log');
    const log = new EventLog(path, () => assert.fail('no warning expected'));
    log.append({ event: 'a' });
    log.append({ event: 'b' });
    assert.deepEqual(readFileSync(path, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event), ['a', 'b']);
  });

  it('a log that cannot be written is one warning, and the caller goes on', () => {
    writeFileSync(join(dir.path, 'file'), '');
    const path = join(dir.path, 'file/events.log');
    const warnings: string[] = [];
    const log = new EventLog(path, (line) => warnings.push(line));
    log.append({ event: 'a' });
    log.append({ event: 'b' });
    assert.deepEqual(warnings, [`warning: cannot write the event log ${path}: file already exists (EEXIST)`]);
  });
});
