import assert from 'node:assert/strict';
import { checkDbName, checkDbPath } from '../src/index.ts';

describe('database names', () => {
  it('accepts plain names: letters, digits, "-", "_", "." not first', () => {
    for (const name of ['configuration', 'template-reads', 'my_db', 'v1.2', '0', 'A-Z.09_']) assert.doesNotThrow(() => checkDbName(name));
  });

  it('refuses other names with E_DB_NAME_INVALID, saying why', () => {
    const cases: [string, string][] = [
      ['', 'it is empty'],
      ['.hidden', 'it starts with "."'],
      ['..', 'it starts with "."'],
      ['a b', 'only letters, digits, "-", "_" and "." are allowed'],
      ['ü', 'only letters, digits, "-", "_" and "." are allowed'],
      ['a/b', 'only letters, digits, "-", "_" and "." are allowed'],
    ];
    for (const [name, why] of cases) {
      assert.throws(() => checkDbName(name), { code: 'E_DB_NAME_INVALID', message: `invalid database name ${JSON.stringify(name)}: ${why}` });
    }
  });

  it("reserves the store's files and lock files, as names and as paths", () => {
    for (const name of ['smeconf.sqlite', 'smeconf.sqlite-wal', 'smeconf.sqlite-shm', 'smeconf.sqlite-journal', 'smeconf.sqlite-mj01', 'configuration.lock', 'x.lock']) {
      const message = `invalid database name ${JSON.stringify(name)}: it is reserved for smeconf's own files`;
      assert.throws(() => checkDbName(name), { code: 'E_DB_NAME_INVALID', message });
      assert.throws(() => checkDbPath(`/srv/db/${name}`, name), { code: 'E_DB_NAME_INVALID', message });
    }
    for (const name of ['smeconf', 'sqlite', 'lock', 'my.lockfile', 'smeconf.sqlit']) assert.doesNotThrow(() => checkDbName(name));
  });

  it('lets any other legacy path through, as SME does', () => {
    for (const path of ['/srv/odd name', '/srv/.dot', '/etc/e-smith/db/configuration']) assert.doesNotThrow(() => checkDbPath(path, path));
  });
});
