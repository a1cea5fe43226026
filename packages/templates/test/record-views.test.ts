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
});
