import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRecord } from '@smeconf/db';
import { describeBackendConformance, makeTempDir } from '@smeconf/db/testing';
import { FlatFileBackend } from '../src/index.ts';

describeBackendConformance('flatfile', async () => {
  const dir = makeTempDir();
  return { backend: new FlatFileBackend({ dir: dir.path }), cleanup: async () => dir.remove() };
}, { history: false });

const HEADER = /^# DO NOT MODIFY THIS FILE\.\n# This file is automatically maintained by the Mitel Networks SME Server\n# configuration software\.  Manually editing this file may put your \n# system in an unknown state\.\n#\n# updated: (Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123]\d \d\d:\d\d:\d\d \d{4}\n/;

describe('FlatFileBackend', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let backend: FlatFileBackend;
  beforeEach(() => {
    dir = makeTempDir();
    backend = new FlatFileBackend({ dir: dir.path });
  });
  afterEach(() => dir.remove());
  const file = () => join(dir.path, 'configuration');
  const body = () => readFileSync(file(), 'utf8').replace(HEADER, '');

  it('writes SME bytes: header, records in byte order, sorted props, mode 0640, the lock file kept', async () => {
    await backend.apply('configuration', [
      { op: 'set', key: 'sshd', record: makeRecord('service', [['status', 'enabled'], ['TCPPort', '22']]) },
      { op: 'set', key: 'DomainName', record: makeRecord('example.com') },
      { op: 'set', key: 'pipe', record: makeRecord('t', [['v', 'a|b'], ['n', 'x\ny']]) },
    ]);
    assert.match(readFileSync(file(), 'utf8'), HEADER);
    assert.equal(body(), 'DomainName=example.com\npipe=t|n|x\\ny|v|a\\|b\nsshd=service|TCPPort|22|status|enabled\n');
    assert.equal(statSync(file()).mode & 0o777, 0o640 & ~process.umask());
    assert.deepEqual(readdirSync(dir.path), ['configuration', 'configuration.lock']);
  });

  it('reads what SME writes: comments, blanks, duplicates, CR, an empty value', async () => {
    writeFileSync(file(), '# comment\n\n  # indented comment\nk=old\nk=t|p|v\r\nempty=\n=empty key\nodd=t|a|1|b\n');
    const list = await backend.list('configuration');
    assert.deepEqual(
      list.map((r) => [r.key, r.type, Object.fromEntries(r.props)]),
      [['', 'empty key', {}], ['empty', '', {}], ['k', 't', { p: 'v\r' }], ['odd', 't', { a: '1', b: '' }]],
    );
  });

  it('refuses a file that is not SME text (E_DB_CORRUPT naming file and line) and writes nothing', async () => {
    const cases: [Buffer, string][] = [
      [Buffer.alloc(64), 'line 1: a NUL byte'],
      [Buffer.from([0x6b, 0x3d, 0xff, 0xfe, 0x0a]), 'line 1: invalid UTF-8'],
      [Buffer.from('k=v\nbare\n'), 'line 2: no "=" after the key'],
    ];
    for (const [bytes, why] of cases) {
      writeFileSync(file(), bytes);
      const error = { code: 'E_DB_CORRUPT', message: `database ${file()}: ${why}: not SME's flat-file format` };
      await assert.rejects(backend.list('configuration'), error);
      await assert.rejects(backend.get('configuration', 'k'), error);
      await assert.rejects(backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('t') }]), error);
      assert.deepEqual(readFileSync(file()), bytes);
      assert.deepEqual(readdirSync(dir.path), ['configuration', 'configuration.lock']);
    }
  });

  it("refuses a database name that is not plain or names a file of ours (E_DB_NAME_INVALID)", async () => {
    for (const name of ['smeconf.sqlite', 'smeconf.sqlite-wal', 'x.lock', '.hidden', 'a b', join(dir.path, 'smeconf.sqlite')]) {
      await assert.rejects(backend.apply(name, [{ op: 'set', key: 'k', record: makeRecord('t') }]), { code: 'E_DB_NAME_INVALID' });
      await assert.rejects(backend.list(name), { code: 'E_DB_NAME_INVALID' });
    }
    assert.deepEqual(readdirSync(dir.path), []);
  });

  it('does not rewrite the file when nothing changes (same inode and mtime)', async () => {
    await backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('t', [['p', 'v']]) }]);
    const before = statSync(file(), { bigint: true });
    await backend.apply('configuration', [{ op: 'setProps', key: 'k', props: new Map([['p', 'v']]) }]);
    const after = statSync(file(), { bigint: true });
    assert.equal(after.ino, before.ino);
    assert.equal(after.mtimeNs, before.mtimeNs);
  });

  it('copies records it does not touch verbatim', async () => {
    writeFileSync(file(), 'z=t|b|2|a|1\n');
    await backend.apply('configuration', [{ op: 'set', key: 'a', record: makeRecord('x') }]);
    assert.equal(body(), 'a=x\nz=t|b|2|a|1\n');
  });

  it('refuses a value the format cannot hold and leaves the file as it was', async () => {
    await backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('t') }]);
    const before = readFileSync(file(), 'utf8');
    for (const value of ['C:\\new', 'a\\|b', 'ends\\']) {
      await assert.rejects(
        backend.apply('configuration', [{ op: 'setProps', key: 'k', props: new Map([['p', value], ['q', 'x']]) }]),
        { code: 'E_DB_VALUE_UNREPRESENTABLE' },
      );
    }
    assert.equal(readFileSync(file(), 'utf8'), before);
    assert.deepEqual(readdirSync(dir.path), ['configuration', 'configuration.lock']);
  });

  it('treats a name starting with / as the path of the file', async () => {
    const path = join(dir.path, 'elsewhere');
    await backend.apply(path, [{ op: 'set', key: 'k', record: makeRecord('v') }]);
    assert.match(readFileSync(path, 'utf8'), /\nk=v\n$/);
  });

  it('falls back to the pre-7.0 location with a warning', async () => {
    const warnings: string[] = [];
    const legacy = makeTempDir();
    writeFileSync(join(legacy.path, 'accounts'), 'admin=user\n');
    const old = new FlatFileBackend({ dir: dir.path, legacyDir: legacy.path, warn: (line) => warnings.push(line) });
    assert.equal((await old.get('accounts', 'admin'))?.type, 'user');
    assert.deepEqual(warnings, [`Database found in old location ${join(legacy.path, 'accounts')}`]);
    legacy.remove();
  });

  it('fails loudly when the directory does not exist, creating nothing', async () => {
    const missing = new FlatFileBackend({ dir: join(dir.path, 'nope') });
    await assert.rejects(missing.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('v') }]), {
      code: 'E_DB_IO',
      message: `cannot lock ${join(dir.path, 'nope', 'configuration')}.lock: its directory does not exist`,
    });
    assert.equal(existsSync(join(dir.path, 'nope')), false);
  });
});
