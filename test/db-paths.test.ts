import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

describe('where databases live', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  beforeEach(() => (scratch = makeScratch('sqlite')));
  afterEach(() => scratch.remove());

  it('sqlite: every named database in one store under $SMECONF_ROOT/home/e-smith/db', () => {
    run(scratch, 'db', ['configuration', 'set', 'a', 'b']);
    run(scratch, 'db', ['hosts', 'set', 'www.example.com', 'host']);
    assert.equal(existsSync(join(scratch.dbDir, 'smeconf.sqlite')), true);
    assert.equal(existsSync(join(scratch.dbDir, 'configuration')), false);
    assert.equal(run(scratch, 'db', ['hosts', 'keys']).stdout, 'www.example.com\n');
  });

  it('--root wins over SMECONF_ROOT', () => {
    const other = makeScratch('sqlite');
    try {
      run(scratch, 'db', ['--root', other.path, 'configuration', 'set', 'a', 'b']);
      assert.equal(run(other, 'db', ['configuration', 'get', 'a']).stdout, 'b\n');
      assert.equal(run(scratch, 'db', ['configuration', 'get', 'a']).status, 1);
    } finally {
      other.remove();
    }
  });

  it('a name starting with / is a legacy flat file at that path, whatever the backend', () => {
    const path = join(scratch.path, 'legacy-db');
    run(scratch, 'db', [path, 'set', 'k', 'v', 'p', 'a|b']);
    assert.match(readFileSync(path, 'utf8'), /\nk=v\|p\|a\\\|b\n$/);
    assert.equal(run(scratch, 'db', [path, 'getprop', 'k', 'p']).stdout, 'a|b\n');
    assert.equal(existsSync(join(scratch.dbDir, 'smeconf.sqlite')), false);
  });

  it('a relative name with / is a flat file under the db directory', () => {
    mkdirSync(join(scratch.dbDir, 'sub'));
    run(scratch, 'db', ['sub/accounts', 'set', 'admin', 'user']);
    assert.match(readFileSync(join(scratch.dbDir, 'sub/accounts'), 'utf8'), /\nadmin=user\n$/);
  });

  it('DBPATH prefixes the name, which makes it a flat file there', () => {
    const dir = join(scratch.path, 'elsewhere');
    mkdirSync(dir);
    writeFileSync(join(dir, 'configuration'), 'DomainName=example.org\n');
    const result = run(scratch, 'config', ['get', 'DomainName'], { DBPATH: dir });
    assert.deepEqual([result.stdout, result.status], ['example.org\n', 0]);
  });

  it('flatfile: one SME file per database, found in the pre-7.0 location with a warning', () => {
    const flat = makeScratch('flatfile');
    try {
      writeFileSync(join(flat.path, 'home/e-smith/accounts'), 'admin=user|Uid|101\n');
      const result = run(flat, 'db', ['accounts', 'getprop', 'admin', 'Uid']);
      assert.deepEqual([result.stdout, result.status], ['101\n', 0]);
      assert.equal(result.stderr, `Database found in old location ${join(flat.path, 'home/e-smith/accounts')}\n`);
    } finally {
      flat.remove();
    }
  });
});

describe('db history (sqlite)', function () {
  this.timeout(30_000);
  it('lists every change with revision, time, db, key, prop, old and new', () => {
    const scratch = makeScratch('sqlite');
    try {
      run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443']);
      run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '8443', 'note', 'two\nlines']);
      run(scratch, 'config', ['setprop', 'modSSL', 'TCPPort', '8443']);
      run(scratch, 'config', ['delete', 'modSSL']);
      const lines = run(scratch, 'config', ['history']).stdout.split('\n').filter(Boolean).map((line) => line.split('\t'));
      const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
      assert.ok(lines.every((fields) => iso.test(fields[1]!)), 'ISO times');
      assert.deepEqual(
        lines.map(([rev, , ...rest]) => [rev, ...rest]),
        [
          ['1', 'configuration', 'modSSL', '(type)', '-', '"service"'],
          ['1', 'configuration', 'modSSL', 'TCPPort', '-', '"443"'],
          ['2', 'configuration', 'modSSL', 'TCPPort', '"443"', '"8443"'],
          ['2', 'configuration', 'modSSL', 'note', '-', '"two\\nlines"'],
          ['3', 'configuration', 'modSSL', '(type)', '"service"', '-'],
          ['3', 'configuration', 'modSSL', 'TCPPort', '"8443"', '-'],
          ['3', 'configuration', 'modSSL', 'note', '"two\\nlines"', '-'],
        ],
      );
      const json = JSON.parse(run(scratch, 'config', ['history', 'modSSL', 'TCPPort', '--json']).stdout) as { new: string | null }[];
      assert.deepEqual(json.map((e) => e.new), ['443', '8443', null]);
    } finally {
      scratch.remove();
    }
  });
});
