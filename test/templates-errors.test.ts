import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

function fragment(scratch: Scratch, templatePath: string, name: string, text: string): string {
  const path = join(scratch.path, 'etc/e-smith/templates', templatePath, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function target(scratch: Scratch, path: string, content: string): string {
  const full = join(scratch.path, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

const statOf = (path: string) => {
  const s = statSync(path, { bigint: true });
  return { ino: s.ino, mtimeNs: s.mtimeNs, mode: s.mode };
};

describe('expand-template failures', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'modSSL', 'service', 'TCPPort', '443', 'note', 'line1\nline2']);
    fragment(scratch, '/etc/app.conf', 'template-begin', '');
  });
  afterEach(() => scratch.remove());

  function expectFailure(stderr: string, status: number): void {
    const file = target(scratch, '/etc/app.conf', 'old content\n');
    const before = statOf(file);
    const result = run(scratch, 'expand-template', ['/etc/app.conf']);
    assert.deepEqual([result.status, result.stdout, result.stderr], [status, '', stderr.replaceAll('$ROOT', scratch.path)]);
    assert.equal(readFileSync(file, 'utf8'), 'old content\n');
    assert.deepEqual(statOf(file), before);
    assert.deepEqual(readdirSync(join(scratch.path, 'etc')).sort(), ['app.conf', 'e-smith']);
  }

  it('a syntax error: file, line and column; target untouched; no temp file', () => {
    fragment(scratch, '/etc/app.conf', '10main', 'port {{modSSL.TCPPort}}\n{{#if modSSL}}\nunclosed\n');
    expectFailure(
      "$ROOT/etc/e-smith/templates/etc/app.conf/10main:4:1: parse error: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'\n" +
        'expand-template: template processing failed for /etc/app.conf: 1 error [E_TPL_RENDER]\n',
      5,
    );
  });

  it('an unknown helper', () => {
    fragment(scratch, '/etc/app.conf', '10main', 'ok\n  {{frobnicate modSSL.TCPPort}}\n');
    expectFailure(
      '$ROOT/etc/e-smith/templates/etc/app.conf/10main:2:3: unknown helper frobnicate\n' +
        'expand-template: template processing failed for /etc/app.conf: 1 error [E_TPL_RENDER]\n',
      5,
    );
  });

  it('a newline injection attempt is refused, naming db, key and prop', () => {
    fragment(scratch, '/etc/app.conf', '10main', 'Port {{modSSL.TCPPort}}\nComment {{modSSL.note}}\n');
    expectFailure(
      '$ROOT/etc/e-smith/templates/etc/app.conf/10main:2:17: configuration modSSL note contains a newline or control character ("line1\\nline2"); print it with {{raw …}} if that is meant [E_TPL_UNSAFE_VALUE]\n' +
        'expand-template: template processing failed for /etc/app.conf: 1 error [E_TPL_RENDER]\n',
      5,
    );
  });

  it('reports every failing fragment of a target in one run', () => {
    fragment(scratch, '/etc/app.conf', '10a', '{{nothere}}\n');
    fragment(scratch, '/etc/app.conf', '20b', 'fine\n');
    fragment(scratch, '/etc/app.conf', '30c', '{{apacheQuote modSSL.note}}\n');
    expectFailure(
      '$ROOT/etc/e-smith/templates/etc/app.conf/10a:1:3: nothere is not defined (for an optional value use {{prop KEY PROP DEFAULT}})\n' +
        '$ROOT/etc/e-smith/templates/etc/app.conf/30c:1:1: apacheQuote: an Apache directive cannot hold a newline: "line1\\nline2"\n' +
        'expand-template: template processing failed for /etc/app.conf: 2 errors [E_TPL_RENDER]\n',
      5,
    );
  });

  it('a missing parent directory: nothing created', () => {
    fragment(scratch, '/etc/nodir/app.conf', '10main', 'x\n');
    const result = run(scratch, 'expand-template', ['/etc/nodir/app.conf']);
    assert.deepEqual([result.status, result.stderr], [4, `expand-template: cannot write ${scratch.path}/etc/nodir/app.conf: directory ${scratch.path}/etc/nodir does not exist [E_TPL_OUTPUT]\n`]);
  });

  it('a target that is a directory', () => {
    fragment(scratch, '/etc/adir', '10main', 'x\n');
    mkdirSync(join(scratch.path, 'etc/adir'), { recursive: true });
    const result = run(scratch, 'expand-template', ['/etc/adir']);
    assert.deepEqual([result.status, result.stderr], [4, `expand-template: cannot write ${scratch.path}/etc/adir: it is a directory [E_TPL_OUTPUT]\n`]);
  });

  it('no fragments at all', () => {
    const result = run(scratch, 'expand-template', ['/etc/none']);
    assert.deepEqual([result.status, result.stderr], [5, 'expand-template: no templates were found for /etc/none [E_TPL_NO_FRAGMENTS]\n']);
  });

  it('one failing path does not stop the others, and the exit status says it failed', () => {
    fragment(scratch, '/etc/good', '10', 'good\n');
    mkdirSync(join(scratch.path, 'etc'), { recursive: true });
    const result = run(scratch, 'expand-template', ['/etc/none', '/etc/good']);
    assert.equal(result.status, 5);
    assert.equal(readFileSync(join(scratch.path, 'etc/good'), 'utf8').endsWith('good\n'), true);
  });
});

describe('expand-template writing', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'config', ['set', 'DomainName', 'example.com']);
    fragment(scratch, '/etc/app.conf', 'template-begin', '');
    fragment(scratch, '/etc/app.conf', '10main', 'domain {{DomainName}}\n');
  });
  afterEach(() => scratch.remove());

  it('leaves an unchanged target alone: same inode, same mtime', () => {
    const file = target(scratch, '/etc/app.conf', 'domain example.com\n');
    const before = statOf(file);
    assert.equal(run(scratch, 'expand-template', ['/etc/app.conf']).status, 0);
    assert.deepEqual(statOf(file), before);
  });

  it('keeps the mode of an existing target; gives a new one 0644', () => {
    const file = target(scratch, '/etc/app.conf', 'old\n');
    chmodSync(file, 0o600);
    run(scratch, 'expand-template', ['/etc/app.conf']);
    assert.equal(readFileSync(file, 'utf8'), 'domain example.com\n');
    assert.equal(statSync(file).mode & 0o7777, 0o600);
    fragment(scratch, '/etc/fresh', '10', 'x\n');
    run(scratch, 'expand-template', ['/etc/fresh']);
    assert.equal(statSync(join(scratch.path, 'etc/fresh')).mode & 0o7777, 0o644);
  });

  it('--dry-run writes nothing, says what would change, exits 0; --diff shows it', () => {
    const file = target(scratch, '/etc/app.conf', 'domain old.org\n');
    const result = run(scratch, 'expand-template', ['--dry-run', '--diff', '/etc/app.conf']);
    const path = join(scratch.path, 'etc/app.conf');
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout,
      `would update ${path}\nIndex: ${path}\n===================================================================\n--- ${path}\n+++ ${path}\n@@ -1,1 +1,1 @@\n-domain old.org\n+domain example.com\n`,
    );
    assert.equal(readFileSync(file, 'utf8'), 'domain old.org\n');
    const unchanged = run(scratch, 'expand-template', ['--dry-run', '/etc/app.conf']);
    assert.equal(unchanged.stdout, `would update ${path}\n`);
  });

  it('--stdout prints and writes nothing; --json reports each target', () => {
    const printed = run(scratch, 'expand-template', ['--stdout', '/etc/app.conf']);
    assert.deepEqual([printed.status, printed.stdout], [0, 'domain example.com\n']);
    const json = run(scratch, 'expand-template', ['--json', '/etc/app.conf']);
    assert.deepEqual(JSON.parse(json.stdout), { path: join(scratch.path, 'etc/app.conf'), status: 'created' });
  });

  it('--output_filename writes elsewhere under the root', () => {
    run(scratch, 'expand-template', ['--output_filename', '/etc/other.conf', '/etc/app.conf']);
    assert.equal(readFileSync(join(scratch.path, 'etc/other.conf'), 'utf8'), 'domain example.com\n');
  });

  it('a missing configuration database reads as empty', () => {
    const empty = makeScratch('sqlite');
    try {
      fragment(empty, '/etc/x', '10', 'fixed {{prop "DomainName" "p" "none"}}\n');
      mkdirSync(join(empty.path, 'etc'), { recursive: true });
      const result = run(empty, 'expand-template', ['/etc/x']);
      assert.deepEqual([result.status, result.stderr], [0, '']);
    } finally {
      empty.remove();
    }
  });

  it('records what a target read: smeconf deps and rdeps', () => {
    fragment(scratch, '/etc/app.conf', '20more', '{{prop "modSSL" "TCPPort" "443"}}{{#each (keys "hosts")}}{{/each}}\n');
    run(scratch, 'expand-template', ['/etc/app.conf']);
    const deps = run(scratch, 'smeconf', ['deps', '/etc/app.conf']);
    assert.equal(deps.stdout, 'configuration DomainName (type)\nconfiguration modSSL TCPPort\nhosts *\n');
    assert.equal(run(scratch, 'smeconf', ['rdeps', 'configuration', 'modSSL', 'TCPPort']).stdout, '/etc/app.conf\n');
    assert.equal(run(scratch, 'smeconf', ['rdeps', 'hosts', 'anything']).stdout, '/etc/app.conf\n');
    const none = run(scratch, 'smeconf', ['rdeps', 'configuration', 'modSSL', 'status']);
    assert.deepEqual([none.status, none.stdout], [1, '']);
  });
});

describe('expand-template ownership from metadata', function () {
  this.timeout(30_000);
  it('UID/GID give a new target its owner (as root); otherwise one warning, not fatal', () => {
    const scratch = makeScratch('sqlite');
    try {
      fragment(scratch, '/etc/owned', '10', 'x\n');
      const meta = join(scratch.path, 'etc/e-smith/templates.metadata/etc');
      mkdirSync(meta, { recursive: true });
      writeFileSync(join(meta, 'owned'), 'UID=65534\nGID=65534\nPERMS=0640\n');
      const result = run(scratch, 'expand-template', ['/etc/owned']);
      const stat = statSync(join(scratch.path, 'etc/owned'));
      assert.equal(result.status, 0);
      assert.equal(stat.mode & 0o7777, 0o640);
      if (process.getuid?.() === 0) {
        assert.deepEqual([stat.uid, stat.gid, result.stderr], [65534, 65534, '']);
      } else {
        assert.match(result.stderr, /^expand-template: not running as root: files keep their owner/);
      }
    } finally {
      scratch.remove();
    }
  });
});
