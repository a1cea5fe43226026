import assert from 'node:assert/strict';
import { makeRecord, planOps } from '../src/index.ts';
import type { Op, RecordData, RecordSource } from '../src/index.ts';

/** A source over `records` that counts what the planner asks of it. */
function countingSource(records: Map<string, RecordData>, withEntries: boolean) {
  const asked = { get: 0, keys: 0, entries: 0 };
  const source: RecordSource = {
    get: (key) => (asked.get++, records.get(key)),
    keys: () => (asked.keys++, records.keys()),
    ...(withEntries ? { entries: () => (asked.entries++, records.entries()) } : {}),
  };
  return { source, asked };
}

const replacement: Op[] = [
  { op: 'clear' },
  { op: 'set', key: 'b', record: makeRecord('t', [['p', '2']]) },
  { op: 'set', key: 'new', record: makeRecord('t') },
  { op: 'clear' },
  { op: 'set', key: 'a', record: makeRecord('t') },
];

describe('planOps', () => {
  const records = () => new Map([['a', makeRecord('t')], ['b', makeRecord('t', [['p', '1']])]]);

  it('reads the source once for a clear: keys then a get each, or entries alone, and nothing for keys set after it', () => {
    for (const withEntries of [false, true]) {
      const { source, asked } = countingSource(records(), withEntries);
      const plan = planOps(source, replacement);
      assert.deepEqual(asked, withEntries ? { get: 0, keys: 0, entries: 1 } : { get: 2, keys: 1, entries: 0 });
      assert.deepEqual(plan.existed, [true, false, false, true, false]);
      assert.deepEqual([...plan.writes.keys()], ['b']);
      assert.deepEqual(plan.writes.get('b'), { before: makeRecord('t', [['p', '1']]), after: undefined });
    }
  });

  it('plans the same writes with or without entries', () => {
    const plain = planOps(countingSource(records(), false).source, replacement.slice(0, 3));
    const bulk = planOps(countingSource(records(), true).source, replacement.slice(0, 3));
    assert.deepEqual(bulk, plain);
    assert.deepEqual([...plain.writes.keys()], ['a', 'b', 'new']);
  });
});
