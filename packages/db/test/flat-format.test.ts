import assert from 'node:assert/strict';
import { decodeRaw, encodeRaw, flatHeader, makeRecord, parseFlat } from '../src/index.ts';

const plain = (raw: string) => {
  const record = decodeRaw(raw);
  return [record.type, Object.fromEntries(record.props)];
};

describe('the SME flat format', () => {
  it('parses lines as SME reads them', () => {
    const raw = parseFlat('# c\n \t\n  #x\nk=1\nk=2\nbare\na=b=c\ncr=v\r\n');
    assert.deepEqual([...raw], [['k', '2'], ['bare', ''], ['a', 'b=c'], ['cr', 'v\r']]);
  });

  it('decodes types and props, `\\n` as a newline and `\\|` as a pipe', () => {
    assert.deepEqual(plain('service|TCPPort|22|status|enabled'), ['service', { TCPPort: '22', status: 'enabled' }]);
    assert.deepEqual(plain('t|p|two\\nlines|q|a\\|b'), ['t', { p: 'two\nlines', q: 'a|b' }]);
    assert.deepEqual(plain('|p|v'), ['', { p: 'v' }]);
    assert.deepEqual(plain('t|odd'), ['t', { odd: '' }]);
    assert.deepEqual(plain(''), ['', {}]);
  });

  it('encodes props in byte order, escaping pipes and (in the file form) newlines', () => {
    const record = makeRecord('t', [['b', 'x|y'], ['a', 'l1\nl2'], ['B', '']]);
    assert.equal(encodeRaw(record, { escapeNewlines: true, key: 'k' }), 't|B||a|l1\\nl2|b|x\\|y');
    assert.equal(encodeRaw(record, { escapeNewlines: false, key: 'k' }), 't|B||a|l1\nl2|b|x\\|y');
  });

  it('refuses in the file form what it could not read back, naming the record', () => {
    for (const value of ['a\\nb', 'a\\|b']) {
      assert.throws(() => encodeRaw(makeRecord('t', [['p', value]]), { escapeNewlines: true, key: 'rec' }), {
        code: 'E_DB_VALUE_UNREPRESENTABLE',
        message: /^record rec: the flat-file format cannot hold /,
      });
    }
    assert.throws(() => encodeRaw(makeRecord('t\\', [['p', 'v']]), { escapeNewlines: true, key: 'k' }), {
      code: 'E_DB_VALUE_UNREPRESENTABLE',
    });
    assert.equal(encodeRaw(makeRecord('t', [['p', 'last\\']]), { escapeNewlines: true, key: 'k' }), 't|p|last\\');
  });

  it('writes the header with a C ctime date, day of month space-padded', () => {
    const header = flatHeader(new Date(2024, 0, 2, 3, 4, 5));
    assert.equal(header.split('\n')[5], '# updated: Tue Jan  2 03:04:05 2024');
    assert.equal(header.split('\n').length, 7);
  });
});
