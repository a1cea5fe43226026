import assert from 'node:assert/strict';
import { compareBytes, sortBytes } from '../src/index.ts';

describe('compareBytes', () => {
  it('sorts as UTF-8 bytes do: digits, upper case, underscore, lower case, then non-ASCII', () => {
    assert.deepEqual(sortBytes(['z', 'É', '_', 'a', 'B', '9', '10', '15a', '15B']), ['10', '15B', '15a', '9', 'B', '_', 'a', 'z', 'É']);
  });

  it('puts astral characters after U+E000..U+FFFF, as their UTF-8 bytes do', () => {
    const astral = '\u{1F600}';
    const privateUse = '\uE000';
    assert.ok(compareBytes(astral, privateUse) > 0);
    assert.equal(Buffer.compare(Buffer.from(astral), Buffer.from(privateUse)), 1);
  });

  it('puts a prefix first', () => {
    assert.ok(compareBytes('ab', 'abc') < 0);
    assert.equal(compareBytes('same', 'same'), 0);
  });
});
