import assert from 'node:assert/strict';
import { groupOf, parseLayerList } from '../src/index.ts';

describe('parseLayerList', () => {
  it('reads fleet, groups in their order, host last', () => {
    assert.deepEqual(parseLayerList('fleet, group:web,group:odoo,host'), ['fleet', 'group:web', 'group:odoo', 'host']);
    assert.deepEqual(parseLayerList('host'), ['host']);
    assert.equal(groupOf('group:web'), 'web');
    assert.equal(groupOf('fleet'), undefined);
  });

  for (const [list, problem] of [
    ['fleet,group:web', 'it must end with host (the host layer is the highest)'],
    ['group:web,fleet,host', 'fleet must come first (it is the lowest layer)'],
    ['fleet,group:web,group:web,host', 'group:web is named twice'],
    ['fleet,group:,host', '"group:" is not fleet, group:NAME (letters, digits, ".", "_", "-") or host'],
    ['fleet,group:a/b,host', '"group:a/b" is not fleet, group:NAME (letters, digits, ".", "_", "-") or host'],
  ] as const) {
    it(`refuses ${list}`, () => {
      assert.throws(() => parseLayerList(list), { code: 'E_LAYER_INVALID', message: `invalid layer list ${JSON.stringify(list)}: ${problem}` });
    });
  }
});
