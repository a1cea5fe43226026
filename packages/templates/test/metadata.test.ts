import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { readMetadata } from '../src/index.ts';

describe('templates.metadata', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let warnings: string[];
  beforeEach(() => {
    dir = makeTempDir();
    warnings = [];
    mkdirSync(join(dir.path, 'etc'), { recursive: true });
  });
  afterEach(() => dir.remove());
  const read = () => readMetadata([dir.path], '/etc/x', (w) => warnings.push(w));

  it('reads the file form as data, never as code', () => {
    writeFileSync(join(dir.path, 'etc/x'), 'PERMS=0755\nUID=root\nGID=admin\nMORE_DATA={"a": [1, 2]}\nFILTER=removeBlankLines squeezeBlankLines\nDELETE=0\nOUTPUT_FILENAME=/tmp/$(rm -rf /)\n');
    assert.deepEqual(read(), {
      perms: 0o755,
      uid: 'root',
      gid: 'admin',
      moreData: { a: [1, 2] },
      filters: ['removeBlankLines', 'squeezeBlankLines'],
      delete: false,
      outputFilename: '/tmp/$(rm -rf /)',
    });
  });

  it("accepts SME's Perl quoting: one pair of double or single quotes, with their escapes, means the text inside", () => {
    writeFileSync(
      join(dir.path, 'etc/x'),
      'OUTPUT_FILENAME="/etc/x.conf"\nPERMS=0600\nUID="root"\nGID=\'www-data\'\nTEMPLATE_PATH = "/etc/a \\"b\\" \\\\c \\$d \\@e" ;  # a comment\nDELETE=\'0\'\nFILTER="removeBlankLines"\n',
    );
    assert.deepEqual(read(), { outputFilename: '/etc/x.conf', perms: 0o600, uid: 'root', gid: 'www-data', templatePath: '/etc/a "b" \\c $d @e', delete: false, filters: ['removeBlankLines'] });
    writeFileSync(join(dir.path, 'etc/x'), "PERMS=\"0640\"\nUID='it\\'s \\\\ \\n'\n");
    assert.deepEqual(read(), { perms: 0o640, uid: "it's \\ \\n" });
    rmSync(join(dir.path, 'etc/x'));
    mkdirSync(join(dir.path, 'etc/x'));
    writeFileSync(join(dir.path, 'etc/x/OUTPUT_FILENAME'), '"/etc/y.conf"\n');
    writeFileSync(join(dir.path, 'etc/x/PERMS'), '0640\n');
    assert.deepEqual(read(), { outputFilename: '/etc/y.conf', perms: 0o640 });
  });

  it('refuses quoting it cannot read as data: an unterminated quote, text after it, Perl interpolation', () => {
    for (const [line, why] of [
      ['UID="root', 'UID: unterminated " quote in "\\"root"'],
      ['UID="root" . "x"', 'UID: unexpected text after the closing quote: " . \\"x\\""'],
      ['OUTPUT_FILENAME="/etc/$name.conf"', 'OUTPUT_FILENAME: Perl would interpolate $name in a double-quoted value; metadata is data: write \\$ or use single quotes'],
      ['OUTPUT_FILENAME="/etc/@list"', 'OUTPUT_FILENAME: Perl would interpolate @list'],
    ] as const) {
      writeFileSync(join(dir.path, 'etc/x'), `${line}\n`);
      assert.throws(read, (error: Error & { code?: string }) => error.code === 'E_TPL_METADATA' && error.message.startsWith(`${join(dir.path, 'etc/x')}: ${why}`), line);
    }
  });

  it('reads the directory form, one file per key', () => {
    mkdirSync(join(dir.path, 'etc/x'));
    writeFileSync(join(dir.path, 'etc/x/PERMS'), '0600\n');
    writeFileSync(join(dir.path, 'etc/x/DELETE'), 'yes\n');
    assert.deepEqual(read(), { perms: 0o600, delete: true });
  });

  it('warns about unknown keys and refuses malformed values, naming the file and key', () => {
    writeFileSync(join(dir.path, 'etc/x'), 'FROB=1\n');
    assert.deepEqual(read(), {});
    assert.deepEqual(warnings, [`${join(dir.path, 'etc/x')}: unknown metadata key FROB ignored`]);
    for (const [line, why] of [
      ['PERMS=rwx', 'PERMS: expected an octal mode such as 0644, got "rwx"'],
      ['MORE_DATA=[1]', 'MORE_DATA: expected a JSON object'],
      ['CHECK=apachectl -t', 'CHECK: expected a JSON array of strings: '],
      ['no equals sign', 'expected KEY=value, got "no equals sign"'],
    ] as const) {
      writeFileSync(join(dir.path, 'etc/x'), `${line}\n`);
      assert.throws(read, (error: Error & { code?: string }) => error.code === 'E_TPL_METADATA' && error.message.startsWith(`${join(dir.path, 'etc/x')}: ${why}`));
    }
  });
});
