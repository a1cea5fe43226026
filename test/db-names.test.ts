import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** Every file of the db directory with its bytes: "nothing written" means this is unchanged. */
function snapshot(scratch: Scratch): Record<string, string> {
  return Object.fromEntries(readdirSync(scratch.dbDir).map((name) => [name, readFileSync(join(scratch.dbDir, name), 'latin1')]));
}

describe('database names', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    assert.equal(run(scratch, 'config', ['set', 'DomainName', 'example.com']).status, 0);
  });
  afterEach(() => scratch.remove());

  const reserved = ['smeconf.sqlite', 'smeconf.sqlite-wal', 'smeconf.sqlite-shm', 'smeconf.sqlite-journal', 'configuration.lock'];
  for (const name of reserved) {
    it(`flatfile: db ${name} set … is refused (exit 2, E_DB_NAME_INVALID) and the store survives`, () => {
      const before = snapshot(scratch);
      const result = run(scratch, 'db', [name, 'set', 'k', 't', 'p', 'v'], { SMECONF_BACKEND: 'flatfile' });
      assert.deepEqual(
        [result.status, result.stdout, result.stderr],
        [2, '', `db: invalid database name "${name}": it is reserved for smeconf's own files [E_DB_NAME_INVALID]\n`],
      );
      assert.deepEqual(snapshot(scratch), before);
      assert.equal(run(scratch, 'config', ['get', 'DomainName']).stdout, 'example.com\n');
    });
  }

  it('sqlite: the same names are refused, so that a database can always move to flat files', () => {
    const result = run(scratch, 'db', ['smeconf.sqlite', 'keys']);
    assert.deepEqual([result.status, result.stderr], [2, `db: invalid database name "smeconf.sqlite": it is reserved for smeconf's own files [E_DB_NAME_INVALID]\n`]);
  });

  const notPlain: [string, string][] = [
    ['.hidden', 'it starts with "."'],
    ['a b', 'only letters, digits, "-", "_" and "." are allowed'],
    ['tab\there', 'only letters, digits, "-", "_" and "." are allowed'],
    ['..', 'it starts with "."'],
  ];
  for (const [name, why] of notPlain) {
    for (const backend of ['sqlite', 'flatfile']) {
      it(`${backend}: db ${JSON.stringify(name)} is refused: ${why}`, () => {
        const before = snapshot(scratch);
        const result = run(scratch, 'db', [name, 'set', 'k', 't'], { SMECONF_BACKEND: backend });
        assert.deepEqual([result.status, result.stderr], [2, `db: invalid database name ${JSON.stringify(name)}: ${why} [E_DB_NAME_INVALID]\n`]);
        assert.deepEqual(snapshot(scratch), before);
      });
    }
  }

  it('plain names with "-", "_", "." and digits work on both backends', () => {
    for (const backend of ['sqlite', 'flatfile']) {
      for (const name of ['my-db', 'my_db', 'v1.2', '0']) {
        const set = run(scratch, 'db', [name, 'set', 'k', 't'], { SMECONF_BACKEND: backend });
        assert.equal(set.status, 0, `${backend} ${name}: ${set.stderr}`);
        assert.equal(run(scratch, 'db', [name, 'gettype', 'k'], { SMECONF_BACKEND: backend }).stdout, 't\n');
      }
    }
    assert.equal(existsSync(join(scratch.dbDir, 'my-db')), true);
  });

  it('legacy paths keep working: an absolute name, a relative one with "/", and DBPATH', () => {
    const path = join(scratch.path, 'odd name.db');
    assert.equal(run(scratch, 'db', [path, 'set', 'k', 't']).status, 0);
    assert.equal(run(scratch, 'db', ['./my db', 'set', 'k', 't']).status, 0);
    assert.equal(existsSync(join(scratch.dbDir, 'my db')), true);
    writeFileSync(join(scratch.path, '.dot'), 'k=t\n');
    const viaDbPath = run(scratch, 'db', ['.dot', 'gettype', 'k'], { DBPATH: scratch.path });
    assert.deepEqual([viaDbPath.status, viaDbPath.stdout], [0, 't\n']);
  });

  it('a legacy path that names one of our own files is refused too', () => {
    const before = snapshot(scratch);
    for (const args of [[join(scratch.dbDir, 'smeconf.sqlite'), 'set', 'k', 't'], ['./smeconf.sqlite-wal', 'set', 'k', 't'], ['sub/../configuration.lock', 'set', 'k', 't']]) {
      const result = run(scratch, 'db', args);
      assert.equal(result.status, 2, `${args[0]}: ${result.stderr}`);
      assert.match(result.stderr, /^db: invalid database name ".*": it is reserved for smeconf's own files \[E_DB_NAME_INVALID\]\n$/);
    }
    assert.deepEqual(snapshot(scratch), before);
  });
});
