import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** Every file under the root with its bytes and mtime: "nothing written" means this is unchanged. */
function snapshot(dir: string, root = dir, into: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) snapshot(path, root, into);
    else into[relative(root, path)] = `${statSync(path).mtimeMs} ${readFileSync(path, 'latin1')}`;
  }
  return into;
}

/** A flatfile server after bootstrap-console-save, Let's Encrypt enabled. */
function server(): Scratch {
  const scratch = makeScratch('flatfile', { SMECONF_SERVICE_MANAGER: 'none' });
  for (const dir of ['etc/httpd/conf', 'etc/dehydrated', 'usr/bin', 'etc/cron.daily', 'var/run/apache2', 'var/log/apache2']) mkdirSync(join(scratch.path, dir), { recursive: true });
  assert.equal(run(scratch, 'signal-event', ['bootstrap-console-save']).status, 0);
  assert.equal(run(scratch, 'config', ['set', 'DomainName', 'example.com']).status, 0);
  assert.equal(run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'enabled']).status, 0);
  assert.equal(run(scratch, 'signal-event', ['console-save']).status, 0);
  return scratch;
}

/** Bytes that are not valid UTF-8 nor text, the same on every run. */
function randomBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('a flat file that is not SME text', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  let configuration: string;
  before(() => {
    scratch = server();
    configuration = join(scratch.dbDir, 'configuration');
  });
  after(() => scratch.remove());

  const cases: [string, () => Buffer, string][] = [
    ['NUL bytes', () => Buffer.alloc(4096), 'line 1: a NUL byte'],
    ['random bytes', () => randomBytes(4096), 'line 1: invalid UTF-8'],
    ['a control character', () => Buffer.from('# c\nDomainName=example.com\nx=t|p|a\x1bb\n'), 'line 3: control character U+001B'],
    ['a line without "="', () => Buffer.from('DomainName=example.com\n<VirtualHost *:80>\n'), 'line 2: no "=" after the key'],
    ['invalid UTF-8 in a later line', () => Buffer.concat([Buffer.from('a=b\nc=d\n'), Buffer.from([0x65, 0x3d, 0xe9, 0x0a])]), 'line 3: invalid UTF-8'],
  ];
  for (const [what, bytes, why] of cases) {
    it(`${what}: db reads exit 4 E_DB_CORRUPT naming file and line; signal-event writes nothing`, () => {
      const original = readFileSync(configuration);
      writeFileSync(configuration, bytes());
      try {
        const before = snapshot(scratch.path);
        const expected = `config: database ${configuration}: ${why}: not SME's flat-file format [E_DB_CORRUPT]\n`;
        const show = run(scratch, 'config', ['show']);
        assert.deepEqual([show.status, show.stdout, show.stderr], [4, '', expected]);
        const setprop = run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'disabled']);
        assert.deepEqual([setprop.status, setprop.stderr], [4, expected]);
        const event = run(scratch, 'signal-event', ['console-save']);
        assert.deepEqual([event.status, event.stdout, event.stderr], [4, '', expected.replace(/^config:/, 'signal-event:')]);
        assert.deepEqual(snapshot(scratch.path), before);
      } finally {
        writeFileSync(configuration, original);
      }
    });
  }

  it('every form SME writes or accepts still reads: comments, blanks, CR, tab, duplicates, "=" in values, an empty key, UTF-8', () => {
    const original = readFileSync(configuration);
    try {
      writeFileSync(configuration, '# c\n\n \t\n  # indented\nk=old\nk=t|p|v\r\ntab=t|p|a\tb\n=empty key\neq=a=b\nÉ=ünï ✓\nodd=t|a\n');
      const show = run(scratch, 'config', ['show']);
      assert.equal(show.status, 0, show.stderr);
      assert.equal(show.stdout, '=empty key\neq=a=b\nk=t\n    p=v\r\nodd=t\n    a=\ntab=t\n    p=a\tb\nÉ=ünï ✓\n');
    } finally {
      writeFileSync(configuration, original);
    }
  });

  it('smeconf import refuses a corrupt file and keeps the database', () => {
    const source = join(scratch.path, 'junk');
    writeFileSync(source, Buffer.alloc(100));
    const before = snapshot(scratch.path);
    const result = run(scratch, 'smeconf', ['import', 'configuration', source]);
    assert.equal(result.status, 4);
    assert.match(result.stderr, new RegExp(`^smeconf: ${source}: line 1: a NUL byte: not SME's flat-file format \\[E_DB_CORRUPT\\]\\n$`));
    assert.deepEqual(snapshot(scratch.path), before);
  });

  it('a value the format cannot hold (a control character) is refused on write', () => {
    const before = snapshot(scratch.path);
    const result = run(scratch, 'config', ['setprop', 'letsencrypt', 'email', 'a\x07b']);
    assert.equal(result.status, 3);
    assert.match(result.stderr, /^config: record letsencrypt: the flat-file format cannot hold "a\\u0007b" \(a control character\) \[E_DB_VALUE_UNREPRESENTABLE\]\n$/);
    assert.deepEqual(snapshot(scratch.path), before);
  });
});
