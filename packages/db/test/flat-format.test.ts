import assert from 'node:assert/strict';
import { decodeFlatBytes, decodeRaw, encodeRaw, flatHeader, makeRecord, parseFlat } from '../src/index.ts';

const plain = (raw: string) => {
  const record = decodeRaw(raw);
  return [record.type, Object.fromEntries(record.props)];
};

describe('the SME flat format', () => {
  it('parses lines as SME reads them', () => {
    const raw = parseFlat('# c\n \t\n  #x\nk=1\nk=2\nempty=\na=b=c\ncr=v\r\n=no key\ntab=a\tb\nü=✓\n');
    assert.deepEqual([...raw], [['k', '2'], ['empty', ''], ['a', 'b=c'], ['cr', 'v\r'], ['', 'no key'], ['tab', 'a\tb'], ['ü', '✓']]);
  });

  it('refuses what is not SME text, naming the source and line: E_DB_CORRUPT', () => {
    const cases: [string, string][] = [
      ['\0\0\0', 'line 1: a NUL byte'],
      ['# ok\nk=v\nx=a\x01b\n', 'line 3: control character U+0001'],
      ['k=v\x7f\n', 'line 1: control character U+007F'],
      ['k=v\n\nbare\n', 'line 3: no "=" after the key'],
      ['k=v\n\x1b[31m\n', 'line 2: control character U+001B'],
    ];
    for (const [text, why] of cases) {
      assert.throws(() => parseFlat(text, 'database /db/x'), { code: 'E_DB_CORRUPT', message: `database /db/x: ${why}: not SME's flat-file format` });
    }
  });

  it('decodes UTF-8 bytes, refusing invalid UTF-8 with its line', () => {
    assert.equal(decodeFlatBytes(Buffer.from('a=é ✓\n'), 'f'), 'a=é ✓\n');
    const latin1 = Buffer.concat([Buffer.from('a=b\n# c\n'), Buffer.from([0x78, 0x3d, 0xe9, 0x0a])]);
    assert.throws(() => decodeFlatBytes(latin1, 'database /db/x'), { code: 'E_DB_CORRUPT', message: "database /db/x: line 3: invalid UTF-8: not SME's flat-file format" });
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

  it('refuses control characters (other than tab and CR) in the file form, where it could not read them back', () => {
    for (const record of [makeRecord('t', [['p', 'a\x07b']]), makeRecord('t\0'), makeRecord('t', [['p\x1b', 'v']])]) {
      assert.throws(() => encodeRaw(record, { escapeNewlines: true, key: 'rec' }), {
        code: 'E_DB_VALUE_UNREPRESENTABLE',
        message: /^record rec: the flat-file format cannot hold ".*" \(a control character\)$/,
      });
    }
    assert.throws(() => encodeRaw(makeRecord('t'), { escapeNewlines: true, key: 'a\x01' }), { code: 'E_DB_VALUE_UNREPRESENTABLE' });
    assert.equal(encodeRaw(makeRecord('t', [['p', 'a\tb\r']]), { escapeNewlines: true, key: 'k' }), 't|p|a\tb\r');
    assert.equal(encodeRaw(makeRecord('t', [['p', 'a\x07b']]), { escapeNewlines: false, key: 'k' }), 't|p|a\x07b');
  });

  it('writes the header with a C ctime date, day of month space-padded', () => {
    const header = flatHeader(new Date(2024, 0, 2, 3, 4, 5));
    assert.equal(header.split('\n')[5], '# updated: Tue Jan  2 03:04:05 2024');
    assert.equal(header.split('\n').length, 7);
  });
});
