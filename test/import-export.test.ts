import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, makeScratch, run } from './helpers/cli.ts';

const HEADER_LINES = 6;

// A hand-written SME file: comments, blank lines, a duplicate (the later one
// wins), CR line ends kept in values, unsorted props. (A line without "=" is
// refused as E_DB_CORRUPT: docs/compatibility.md, test/db-corrupt.test.ts.)
const HAND_WRITTEN = [
  '# my notes',
  '',
  'sshd=service|status|enabled|TCPPort|22',
  '   # indented comment',
  'DomainName=example.com',
  'dup=first',
  'dup=second|p|v',
  'crlf=service|status|enabled\r',
  'pipes=t|v|a\\|b|nl|x\\ny',
  'É=after z',
  'z=t',
  '',
].join('\n');

// What SME itself would write for those records: sorted keys and props.
const EXPECTED_RECORDS = [
  'DomainName=example.com',
  'crlf=service|status|enabled\r',
  'dup=second|p|v',
  'pipes=t|nl|x\\ny|v|a\\|b',
  'sshd=service|TCPPort|22|status|enabled',
  'z=t',
  'É=after z',
  '',
].join('\n');

for (const backend of BACKENDS) {
  describe(`smeconf import/export (${backend})`, function () {
    this.timeout(30_000);
    it('round-trips a hand-written SME file to the same records', () => {
      const scratch = makeScratch(backend);
      try {
        const source = join(scratch.path, 'configuration.flat');
        writeFileSync(source, HAND_WRITTEN);
        run(scratch, 'db', ['configuration', 'set', 'stale', 'gone']);
        const imported = run(scratch, 'smeconf', ['import', 'configuration', source]);
        assert.deepEqual([imported.status, imported.stdout], [0, `imported 7 records into configuration (${backend})\n`]);
        const exported = run(scratch, 'smeconf', ['export', 'configuration']);
        assert.equal(exported.status, 0);
        assert.equal(exported.stdout.split('\n').slice(HEADER_LINES).join('\n'), EXPECTED_RECORDS);
        assert.equal(run(scratch, 'db', ['configuration', 'getprop', 'pipes', 'v']).stdout, 'a|b\n');

        const target = join(scratch.path, 'out');
        run(scratch, 'smeconf', ['export', 'configuration', target]);
        assert.equal(readFileSync(target, 'utf8').split('\n').slice(HEADER_LINES).join('\n'), EXPECTED_RECORDS);
        assert.equal(statSync(target).mode & 0o777, 0o640 & ~process.umask());
      } finally {
        scratch.remove();
      }
    });

    it('fails loudly on a missing file, changing nothing', () => {
      const scratch = makeScratch(backend);
      try {
        run(scratch, 'db', ['configuration', 'set', 'keep', 'me']);
        const result = run(scratch, 'smeconf', ['import', 'configuration', join(scratch.path, 'nope')]);
        assert.equal(result.status, 4);
        assert.match(result.stderr, /^smeconf: cannot read .*nope: ENOENT.* \[E_DB_IO\]\n$/);
        assert.equal(run(scratch, 'db', ['configuration', 'get', 'keep']).stdout, 'me\n');
      } finally {
        scratch.remove();
      }
    });
  });
}

describe('smeconf export of what the flat format cannot hold', () => {
  it('refuses with E_DB_VALUE_UNREPRESENTABLE (exit 3) instead of altering it', () => {
    const scratch = makeScratch('sqlite');
    try {
      run(scratch, 'db', ['configuration', 'set', 'k', 't', 'path', 'C:\\new']);
      const result = run(scratch, 'smeconf', ['export', 'configuration']);
      assert.equal(result.status, 3);
      assert.match(result.stderr, /\[E_DB_VALUE_UNREPRESENTABLE\]\n$/);
    } finally {
      scratch.remove();
    }
  });
});
