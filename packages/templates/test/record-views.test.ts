import assert from 'node:assert/strict';
import type { RecordData } from '@smeconf/db';
import { DataAccess } from '../src/index.ts';

const record = (type: string, props: Record<string, string> = {}): RecordData => ({ type, props: new Map(Object.entries(props)) });

describe('record views', () => {
  const snapshot = () => new Map([['hosts', new Map([['www.example.com', record('host', { HostType: 'Self' })]])]]);

  it('one view per record in an access (records() runs once per VirtualHost), frozen: a fragment cannot add to it', () => {
    const access = new DataAccess(snapshot());
    const [first] = access.records('hosts');
    const [again] = access.records('hosts', 'host');
    assert.equal(first, again);
    assert.ok(Object.isFrozen(first));
    assert.equal(Reflect.set(first!, 'note', 'mine'), false); // in a JavaScript fragment (a module: strict), a TypeError
    assert.equal(first!['note'], undefined);
    assert.equal(access.record('hosts', 'www.example.com'), first);
  });

  it('a shared view still notes each prop read as it is read', () => {
    const access = new DataAccess(snapshot());
    const [view] = access.records('hosts');
    assert.deepEqual([...access.reads.keys()], ['hosts\t\t']);
    assert.equal(view!['HostType'], 'Self');
    assert.equal(access.records('hosts')[0]!['HostType'], 'Self');
    assert.deepEqual([...access.reads.keys()], ['hosts\t\t', 'hosts\twww.example.com\tHostType']);
  });

  it('records() gives each call its own list, in key order, of one type if asked, noting the read each time', () => {
    const hosts = new Map([
      ['b.example.com', record('host', { HostType: 'Self' })],
      ['a.example.com', record('host', { HostType: 'Remote' })],
      ['c.example.com', record('other')],
    ]);
    const access = new DataAccess(new Map([['hosts', hosts]]));
    const first = access.records('hosts', 'host');
    first.pop();
    first.push({ key: 'mine' });
    const second = access.records('hosts', 'host');
    assert.notEqual(second, first);
    assert.deepEqual(second.map((view) => view['key']), ['a.example.com', 'b.example.com']);
    assert.deepEqual(access.records('hosts').map((view) => view['key']), ['a.example.com', 'b.example.com', 'c.example.com']);
    assert.equal(second[0], access.records('hosts')[0]);
    assert.deepEqual(access.records('missing'), []);
    assert.deepEqual([...access.reads.keys()], ['hosts\t\t', 'missing\t\t']);
    assert.deepEqual([...access.missing], ['missing']);
  });
});
