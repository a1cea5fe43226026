import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbMain } from '../../src/db/main.ts';
import type { DbMainOptions } from '../../src/db/main.ts';
import { STOCK_DIR, captureIo, makeTempRoot } from '../helpers/io.ts';
import type { TempRoot } from '../helpers/io.ts';

// dbMain in-process (no spawn): the bins' behaviour, bin by bin, is in test/db-*.test.ts

describe('dbMain', () => {
  let root: TempRoot;
  beforeEach(() => (root = makeTempRoot()));
  afterEach(() => root.remove());

  async function db(argv: string[], backend = 'sqlite', extra: Partial<DbMainOptions> = {}) {
    const io = captureIo();
    const env = { SMECONF_ROOT: root.path, SMECONF_BACKEND: backend };
    const status = await dbMain(argv, io, { env, stockDir: STOCK_DIR, ...extra });
    return { status, stdout: io.stdout, stderr: io.stderr };
  }

  for (const backend of ['sqlite', 'flatfile']) {
    it(`sets, reads and deletes a record silently (${backend})`, async () => {
      assert.deepEqual(await db(['hosts', 'set', 'www.example.org', 'host', 'HostType', 'Self'], backend), { status: 0, stdout: '', stderr: '' });
      assert.deepEqual(await db(['hosts', 'show', 'www.example.org'], backend), { status: 0, stdout: 'www.example.org=host\n    HostType=Self\n', stderr: '' });
      assert.deepEqual(await db(['hosts', 'getprop', 'www.example.org', 'HostType'], backend), { status: 0, stdout: 'Self\n', stderr: '' });
      assert.deepEqual(await db(['hosts', 'delete', 'www.example.org'], backend), { status: 0, stdout: '', stderr: '' });
      assert.deepEqual(await db(['hosts', 'keys'], backend), { status: 1, stdout: '', stderr: '' });
    });
  }

  it('writes the flat file SME reads', async () => {
    await db(['accounts', 'set', 'admin', 'user', 'Uid', '101'], 'flatfile');
    assert.match(readFileSync(join(root.dbDir, 'accounts'), 'utf8'), /\nadmin=user\|Uid\|101\n$/);
  });

  it('config is db configuration', async () => {
    assert.equal((await db(['set', 'DomainName', 'example.org'], 'sqlite', { fixedDb: 'configuration' })).status, 0);
    assert.deepEqual(await db(['configuration', 'get', 'DomainName']), { status: 0, stdout: 'example.org\n', stderr: '' });
  });

  it('--json for a read', async () => {
    await db(['configuration', 'set', 'sshd', 'service', 'TCPPort', '22']);
    const result = await db(['--json', 'configuration', 'show', 'sshd']);
    assert.equal(result.status, 0);
    assert.deepEqual(JSON.parse(result.stdout), { key: 'sshd', type: 'service', props: { TCPPort: '22' } });
  });

  it('--version and --help print on stdout, exit 0', async () => {
    const version = await db(['--version']);
    assert.deepEqual(version, { status: 0, stdout: 'smeconf 0.1.0\n', stderr: '' });
    const help = await db(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage:\n    db dbfile keys\n/m);
  });

  it('a usage error: one coded line then the usage, exit 2', async () => {
    const result = await db(['configuration', 'frobnicate']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^db: unknown verb "frobnicate" \[E_USAGE\]\n/);
    assert.equal(result.stdout, '');
  });

  it('no database named, no verb given', async () => {
    assert.match((await db([])).stderr, /^db: no database named \[E_USAGE\]\n/);
    assert.match((await db(['configuration'])).stderr, /^db: no verb given \[E_USAGE\]\n/);
  });

  it('a mistyped root: E_ROOT_MISSING, exit 2, nothing created', async () => {
    const missing = join(root.path, 'typo');
    const result = await db(['--root', missing, 'configuration', 'set', 'k', 't']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^db: no SME root at .*typo: no such directory .*\[E_ROOT_MISSING\]\n$/);
    assert.equal(existsSync(missing), false);
  });

  it('an unknown backend: E_DB_BACKEND_UNKNOWN, exit 2', async () => {
    const result = await db(['configuration', 'keys'], 'nosuch');
    assert.deepEqual(result, { status: 2, stdout: '', stderr: 'db: unknown SMECONF_BACKEND "nosuch" (sqlite, flatfile or etcd) [E_DB_BACKEND_UNKNOWN]\n' });
  });

  it('flatfile keeps no history: E_DB_NO_HISTORY, exit 3', async () => {
    assert.deepEqual(await db(['configuration', 'history'], 'flatfile'), {
      status: 3,
      stdout: '',
      stderr: 'db: the flatfile backend keeps no change log [E_DB_NO_HISTORY]\n',
    });
  });
});
