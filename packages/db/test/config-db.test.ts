import assert from 'node:assert/strict';
import { ConfigDb, MemoryBackend } from '../src/index.ts';

describe('ConfigDb', () => {
  let db: ConfigDb;
  beforeEach(() => (db = new ConfigDb(new MemoryBackend(), 'configuration')));

  it('trims keys on write and lookup, as SME does, and keeps values exactly', async () => {
    await db.set('  k ', ' type ', new Map([['p', ' v ']]));
    assert.deepEqual((await db.list()).map((r) => r.key), ['k']);
    assert.equal((await db.get(' k'))?.type, ' type ');
    assert.equal(await db.getProp('k', 'p'), ' v ');
  });

  it('accepts the key 0', async () => {
    await db.set('0', 'zero');
    assert.equal((await db.get('0'))?.type, 'zero');
  });

  it('refuses keys the flat format could not hold, writing nothing', async () => {
    for (const [key, why] of [['a\nb', 'contains a newline'], ['a=b', 'contains "="'], ['#c', 'starts with "#"'], [' ', 'is empty']]) {
      await assert.rejects(db.set(key!, 't'), { code: 'E_DB_KEY_INVALID', message: `invalid key ${JSON.stringify(key!.trim())}: it ${why}` });
    }
    assert.deepEqual(await db.list(), []);
  });

  it('refuses empty or multi-line prop names', async () => {
    await db.set('k', 't');
    await assert.rejects(db.setProps('k', new Map([['', 'v']])), { code: 'E_DB_PROP_INVALID' });
    await assert.rejects(db.setProps('k', new Map([['a\nb', 'v']])), { code: 'E_DB_PROP_INVALID' });
  });

  it('setDefault only creates; setType, setProps and delProps skip a missing key', async () => {
    assert.equal(await db.setDefault('k', 'first'), true);
    assert.equal(await db.setDefault('k', 'second'), false);
    assert.equal((await db.get('k'))?.type, 'first');
    assert.equal(await db.setType('missing', 't'), false);
    assert.equal(await db.setProps('missing', new Map([['p', 'v']])), false);
    assert.equal(await db.delProps('missing', ['p']), false);
    assert.deepEqual((await db.list()).map((r) => r.key), ['k']);
  });

  it('says which backends keep no history', async () => {
    const backend = new MemoryBackend();
    Object.defineProperty(backend, 'history', { value: undefined });
    await assert.rejects(new ConfigDb(backend, 'x').history(), { code: 'E_DB_NO_HISTORY' });
  });
});
