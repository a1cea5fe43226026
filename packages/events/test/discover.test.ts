import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { listEvents, loadEvent } from '../src/index.ts';

function file(path: string, text = '', mode = 0o755): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

describe('event discovery', () => {
  let custom: ReturnType<typeof makeTempDir>;
  let stock: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    custom = makeTempDir();
    stock = makeTempDir();
  });
  afterEach(() => {
    custom.remove();
    stock.remove();
  });

  it('an event is the union of its directories; the first directory wins a same-named handler', () => {
    file(join(stock.path, 'e/S10a'));
    file(join(stock.path, 'e/S20b'));
    file(join(custom.path, 'e/S20b'));
    file(join(stock.path, 'e/templates2expand/etc/x'), '', 0o644);
    file(join(custom.path, 'e/templates2expand/etc/deep/y'), '', 0o644);
    file(join(stock.path, 'e/services2adjust/httpd'), 'restart\n', 0o644);
    mkdirSync(join(custom.path, 'e/services2adjust'), { recursive: true });
    symlinkSync('sigusr1', join(custom.path, 'e/services2adjust/httpd'));
    file(join(stock.path, 'e/S15mod.mjs'), 'export default () => {}', 0o644);
    const event = loadEvent([custom.path, stock.path], 'e');
    assert.deepEqual(event.handlers.map((h) => `${h.name}:${h.kind}`), [
      'S05generic_template_expand:expand',
      'S10a:program',
      'S15mod.mjs:module',
      'S20b:program',
      'S90adjust-services:services',
    ]);
    assert.equal((event.handlers[3] as { path: string }).path, join(custom.path, 'e/S20b'));
    assert.deepEqual(event.templates, ['/etc/deep/y', '/etc/x']);
    assert.deepEqual(event.services, [{ service: 'httpd', verbs: ['sigusr1'] }]);
  });

  it('lists events, never actions', () => {
    file(join(stock.path, 'actions/x'));
    file(join(stock.path, 'b/S10'));
    file(join(custom.path, 'a/S10'));
    assert.deepEqual(listEvents([custom.path, stock.path]), ['a', 'b']);
  });

  it('lists events past a dangling link in an events directory (not an event, not a crash)', () => {
    file(join(stock.path, 'a/S10'));
    symlinkSync(join(stock.path, 'nowhere'), join(stock.path, 'dangling'));
    assert.deepEqual(listEvents([stock.path]), ['a']);
  });

  it('refuses actions and names that are paths', () => {
    assert.throws(() => loadEvent([stock.path], 'actions'), { code: 'E_EVT_INVALID_NAME' });
    assert.throws(() => loadEvent([stock.path], '../etc'), { code: 'E_EVT_INVALID_NAME' });
    assert.throws(() => loadEvent([stock.path], 'missing'), { code: 'E_EVT_NOT_FOUND' });
  });
});
