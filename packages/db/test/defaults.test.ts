import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigDb, MemoryBackend, initializeDefaultDatabases } from '../src/index.ts';
import { makeTempDir } from '../src/testing/index.ts';

function tree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe('initializeDefaultDatabases', () => {
  let custom: ReturnType<typeof makeTempDir>;
  let stock: ReturnType<typeof makeTempDir>;
  let backend: MemoryBackend;
  let log: string[];
  beforeEach(() => {
    custom = makeTempDir();
    stock = makeTempDir();
    backend = new MemoryBackend();
    log = [];
  });
  afterEach(() => {
    custom.remove();
    stock.remove();
  });
  const run = () =>
    initializeDefaultDatabases({ dirs: [custom.path, stock.path], open: (name) => new ConfigDb(backend, name), log: (l) => log.push(l) });
  const show = async (db: string, key: string) => {
    const record = await backend.get(db, key);
    return record && [record.type, Object.fromEntries(record.props)];
  };

  it('creates records from defaults, one trailing newline stripped', async () => {
    tree(stock.path, {
      'configuration/defaults/letsencrypt/type': 'service\n',
      'configuration/defaults/letsencrypt/status': 'disabled\n',
      'configuration/defaults/letsencrypt/configure': 'none\n\n',
    });
    await run();
    assert.deepEqual(await show('configuration', 'letsencrypt'), ['service', { status: 'disabled', configure: 'none\n' }]);
    assert.deepEqual(log, ['Creating database configuration and setting defaults']);
  });

  it('fills only missing props of an existing record; force always wins', async () => {
    await backend.apply('configuration', [
      { op: 'set', key: 'sshd', record: { type: 'service', props: new Map([['status', 'disabled'], ['TCPPort', '2222']]) } },
    ]);
    tree(stock.path, {
      'configuration/defaults/sshd/type': 'ignored',
      'configuration/defaults/sshd/status': 'enabled',
      'configuration/defaults/sshd/access': 'private',
      'configuration/force/sshd/TCPPort': '22',
    });
    await run();
    assert.deepEqual(await show('configuration', 'sshd'), ['service', { status: 'disabled', TCPPort: '22', access: 'private' }]);
    assert.deepEqual(log, ['Migrating existing database configuration']);
  });

  it('lets the first directory of the queue override the later ones', async () => {
    tree(stock.path, { 'hosts/defaults/h/type': 'host', 'hosts/defaults/h/a': 'stock' });
    tree(custom.path, { 'hosts/defaults/h/a': 'custom' });
    await run();
    assert.deepEqual(await show('hosts', 'h'), ['host', { a: 'custom' }]);
  });

  it('reports stray files and unexpected names, as SME does', async () => {
    tree(stock.path, { 'configuration/defaults/stray': 'x', 'bad name/defaults/k/type': 't', '.hidden/defaults/k/type': 't' });
    await run();
    assert.deepEqual(log, [
      'Not processing unexpected file bad name',
      `Found non-directory stray in ${join(stock.path, 'configuration/defaults')}`,
      'Creating database configuration and setting defaults',
    ]);
  });
});
