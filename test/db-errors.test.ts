import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

const GENERAL_USAGE = `usage:
    db dbfile keys
    db dbfile print [key]
    db dbfile show [key]
    db dbfile get key
    db dbfile set key type [prop1 val1] [prop2 val2] ...
    db dbfile setdefault key type [prop1 val1] [prop2 val2] ...
    db dbfile delete key
    db dbfile printtype [key]
    db dbfile gettype key
    db dbfile settype key type
    db dbfile printprop key [prop1] [prop2] [prop3] ...
    db dbfile getprop key prop
    db dbfile setprop key prop1 val1 [prop2 val2] [prop3 val3] ...
    db dbfile delprop key prop1 [prop2] [prop3] ...
    db dbfile history [key [prop]]
`;

/** Every file under the db directory with its content: "nothing written" means this is unchanged. */
function snapshot(scratch: Scratch): Record<string, string> {
  return Object.fromEntries(readdirSync(scratch.dbDir).map((name) => [name, readFileSync(join(scratch.dbDir, name), 'latin1')]));
}

for (const backend of BACKENDS) {
  describe(`db errors (${backend})`, function () {
    this.timeout(30_000);
    let scratch: Scratch;
    beforeEach(() => {
      scratch = makeScratch(backend);
      run(scratch, 'db', ['configuration', 'set', 'k', 't', 'p', 'v']);
    });
    afterEach(() => scratch.remove());

    const usageCases: [string[], string][] = [
      [[], 'db: no database named [E_USAGE]\n' + GENERAL_USAGE],
      [['configuration'], 'db: no verb given [E_USAGE]\n' + GENERAL_USAGE],
      [['configuration', 'frob'], 'db: unknown verb "frob" [E_USAGE]\n' + GENERAL_USAGE],
      [['configuration', 'Keys'], 'db: unknown verb "Keys" [E_USAGE]\n' + GENERAL_USAGE],
      [['--bogus', 'configuration', 'keys'], 'db: unknown option --bogus [E_USAGE]\n' + GENERAL_USAGE],
      [['configuration', 'setprop', 'k', 'a'], 'db: setprop: expected at least 3 arguments, got 2 [E_USAGE]\ndb dbfile setprop key prop1 val1 [prop2 val2] [prop3 val3] ...\n'],
      [['configuration', 'setprop', 'k', 'a', 'b', 'c'], 'db: setprop: properties must come as name/value pairs; the last name has no value [E_USAGE]\ndb dbfile setprop key prop1 val1 [prop2 val2] [prop3 val3] ...\n'],
      [['configuration', 'set', 'k'], 'db: set: expected at least 2 arguments, got 1 [E_USAGE]\ndb dbfile set key type [prop1 val1] [prop2 val2] ...\n'],
      [['configuration', 'set', 'k', 't', 'odd'], 'db: set: properties must come as name/value pairs; the last name has no value [E_USAGE]\ndb dbfile set key type [prop1 val1] [prop2 val2] ...\n'],
      [['configuration', 'getprop', 'k'], 'db: getprop: expected at least 2 arguments, got 1 [E_USAGE]\ndb dbfile getprop key prop\n'],
      [['configuration', 'gettype'], 'db: gettype: expected at least 1 argument, got 0 [E_USAGE]\ndb dbfile gettype key\n'],
      [['configuration', 'keys', 'extra'], 'db: keys: expected at most 0 arguments, got 1 [E_USAGE]\ndb dbfile keys\n'],
      [['configuration', 'get', ''], 'db: get: the key is empty [E_USAGE]\ndb dbfile get key\n'],
      [['configuration', 'setdefault', 'k', ''], 'db: setdefault: the type is empty [E_USAGE]\ndb dbfile setdefault key type [prop1 val1] [prop2 val2] ...\n'],
      [['configuration', 'settype', 'k', ''], 'db: settype: the type is empty [E_USAGE]\ndb dbfile settype key type\n'],
      [['configuration', 'delprop', 'k'], 'db: delprop: expected at least 2 arguments, got 1 [E_USAGE]\ndb dbfile delprop key prop1 [prop2] [prop3] ...\n'],
    ];
    for (const [args, stderr] of usageCases) {
      it(`usage error: db ${args.join(' ') || '(nothing)'} exits 2 and writes nothing`, () => {
        const before = snapshot(scratch);
        const result = run(scratch, 'db', args);
        assert.deepEqual([result.status, result.stdout, result.stderr], [2, '', stderr]);
        assert.deepEqual(snapshot(scratch), before);
      });
    }

    const dataCases: [string[], number, string][] = [
      [['set', 'a\nb', 't'], 1, 'db: invalid key "a\\nb": it contains a newline [E_DB_KEY_INVALID]\n'],
      [['set', 'a=b', 't'], 1, 'db: invalid key "a=b": it contains "=" [E_DB_KEY_INVALID]\n'],
      [['set', '#k', 't'], 1, 'db: invalid key "#k": it starts with "#" [E_DB_KEY_INVALID]\n'],
      [['setprop', 'k', '', 'v'], 3, 'db: invalid property name "": it is empty [E_DB_PROP_INVALID]\n'],
      [['setprop', 'k', 'a\nb', 'v'], 3, 'db: invalid property name "a\\nb": it contains a newline [E_DB_PROP_INVALID]\n'],
    ];
    for (const [args, status, stderr] of dataCases) {
      it(`refuses: db configuration ${JSON.stringify(args)} exits ${status} and writes nothing`, () => {
        const before = snapshot(scratch);
        const result = run(scratch, 'db', ['configuration', ...args]);
        assert.deepEqual([result.status, result.stdout, result.stderr], [status, '', stderr]);
        assert.deepEqual(snapshot(scratch), before);
      });
    }

    it('an unwritable database: exit 4, a one-line E_DB_IO message, nothing written', function () {
      if (process.getuid?.() === 0) {
        // root ignores modes: a directory where the database file should be instead
        const file = backend === 'sqlite' ? 'smeconf.sqlite' : 'configuration';
        for (const name of readdirSync(scratch.dbDir)) rmSync(join(scratch.dbDir, name), { recursive: true });
        mkdirSync(join(scratch.dbDir, file));
      } else {
        chmodSync(scratch.dbDir, 0o500);
      }
      const result = run(scratch, 'db', ['configuration', 'set', 'x', 'y']);
      assert.equal(result.status, 4);
      assert.match(result.stderr, /^db: (cannot (create database|lock|read database)|database) .* \[E_DB_IO\]\n$/);
      assert.equal(existsSync(scratch.dbDir) && readdirSync(scratch.dbDir).some((n) => n.includes('x')), false);
    });

    it('an unknown backend: exit 2 naming it', () => {
      const result = run(scratch, 'db', ['configuration', 'keys'], { SMECONF_BACKEND: 'nosuch' });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^db: unknown SMECONF_BACKEND "nosuch" \(sqlite, flatfile or etcd\) \[E_DB_BACKEND_UNKNOWN\]\n/);
    });
  });
}

for (const backend of BACKENDS) {
  describe(`a mistyped root (${backend})`, function () {
    this.timeout(30_000);
    let scratch: Scratch;
    beforeEach(() => (scratch = makeScratch(backend)));
    afterEach(() => scratch.remove());

    it('config show on a root that does not exist: one line E_ROOT_MISSING, exit 2', () => {
      const typo = join(scratch.path, 'typo');
      const result = run(scratch, 'config', ['show'], { SMECONF_ROOT: typo });
      assert.deepEqual(result, { status: 2, stdout: '', stderr: `config: no SME root at ${typo}: no such directory (check SMECONF_ROOT or --root) [E_ROOT_MISSING]\n` });
    });

    it('a root without home/e-smith/db: E_ROOT_MISSING for reads and writes, nothing created', () => {
      const bare = join(scratch.path, 'bare');
      mkdirSync(bare);
      const line = `no SME root at ${bare}: it has no home/e-smith/db (check SMECONF_ROOT or --root; mkdir -p ${join(bare, 'home/e-smith/db')} starts a new one) [E_ROOT_MISSING]\n`;
      assert.deepEqual(run(scratch, 'config', ['get', 'DomainName'], { SMECONF_ROOT: bare }), { status: 2, stdout: '', stderr: `config: ${line}` });
      assert.deepEqual(run(scratch, 'db', ['--root', bare, 'hosts', 'set', 'www.example.org', 'host']), { status: 2, stdout: '', stderr: `db: ${line}` });
      assert.deepEqual(readdirSync(bare), []);
    });

    it('an existing root with no database yet reads as empty, as in SME (exit 1, no output)', () => {
      assert.deepEqual(run(scratch, 'config', ['show']), { status: 1, stdout: '', stderr: '' });
      assert.deepEqual(run(scratch, 'db', ['hosts', 'keys']), { status: 1, stdout: '', stderr: '' });
    });

    it('a database named by an absolute path needs no root', () => {
      const file = join(scratch.path, 'legacy-db');
      assert.equal(run(scratch, 'db', [file, 'set', 'k', 't'], { SMECONF_ROOT: join(scratch.path, 'typo') }).status, 0);
      assert.equal(statSync(file).isFile(), true);
    });
  });
}

describe('db errors (flatfile only)', () => {
  it('refuses a value the flat format cannot hold, exit 3, file untouched', () => {
    const scratch = makeScratch('flatfile');
    try {
      run(scratch, 'db', ['configuration', 'set', 'k', 't']);
      const before = snapshot(scratch);
      const result = run(scratch, 'db', ['configuration', 'setprop', 'k', 'path', 'C:\\new']);
      assert.equal(result.status, 3);
      assert.equal(
        result.stderr,
        'db: record k: the flat-file format cannot hold "C:\\\\new" (a backslash before "n", "|" or a field end) [E_DB_VALUE_UNREPRESENTABLE]\n',
      );
      assert.deepEqual(snapshot(scratch), before);
    } finally {
      scratch.remove();
    }
  });

  it('has no history: exit 3, E_DB_NO_HISTORY', () => {
    const scratch = makeScratch('flatfile');
    try {
      const result = run(scratch, 'db', ['configuration', 'history']);
      assert.deepEqual([result.status, result.stderr], [3, 'db: the flatfile backend keeps no change log [E_DB_NO_HISTORY]\n']);
    } finally {
      scratch.remove();
    }
  });
});
