import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { REPO, makeScratch, run } from './helpers/cli.ts';
import type { BinName, Scratch } from './helpers/cli.ts';
import { completionScript } from '../packages/cli/src/smeconf/completion.ts';

// Help, usage errors, --version and shell completion of the bins, as users see them (issue #10 item 12).

const VERBS = ['keys', 'print [key]', 'show [key]', 'get key', 'set key type [prop1 val1] [prop2 val2] ...', 'setdefault key type [prop1 val1] [prop2 val2] ...', 'delete key', 'printtype [key]', 'gettype key', 'settype key type', 'printprop key [prop1] [prop2] [prop3] ...', 'getprop key prop', 'setprop key prop1 val1 [prop2 val2] [prop3 val3] ...', 'delprop key prop1 [prop2] [prop3] ...', 'history [key [prop]]'];
const CONFIG_USAGE = `usage:\n${VERBS.map((v) => `    config ${v}\n`).join('')}`;
const VERSION = `smeconf ${(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`;

describe('help and usage of db and config', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  before(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'db', ['hosts', 'set', 'www.example.org', 'host', 'HostType', 'Self']);
  });
  after(() => scratch.remove());

  it('config --help prints config\'s usage (no "db dbfile"), exit 0', () => {
    const result = run(scratch, 'config', ['--help']);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.startsWith(CONFIG_USAGE), result.stdout);
    assert.doesNotMatch(result.stdout, /dbfile|db /);
  });

  it('config errors say "config:" and show config\'s usage', () => {
    assert.deepEqual(run(scratch, 'config', ['frob']), { status: 2, stdout: '', stderr: `config: unknown verb "frob" [E_USAGE]\n${CONFIG_USAGE}` });
    assert.deepEqual(run(scratch, 'config', ['getprop', 'k']), { status: 2, stdout: '', stderr: 'config: getprop: expected at least 2 arguments, got 1 [E_USAGE]\nconfig getprop key prop\n' });
  });

  it('--help after the verb prints that verb\'s usage, exit 0, and changes nothing', () => {
    assert.deepEqual(run(scratch, 'db', ['hosts', 'setprop', '--help']), { status: 0, stdout: 'db dbfile setprop key prop1 val1 [prop2 val2] [prop3 val3] ...\n', stderr: '' });
    assert.deepEqual(run(scratch, 'db', ['hosts', 'setprop', 'www.example.org', 'letsencryptSSLcert', '--help']).status, 0);
    assert.deepEqual(run(scratch, 'config', ['getprop', '--help']), { status: 0, stdout: 'config getprop key prop\n', stderr: '' });
    assert.equal(run(scratch, 'db', ['hosts', 'show']).stdout, 'www.example.org=host\n    HostType=Self\n');
  });

  it('after "--" a --help is a value like any other', () => {
    assert.equal(run(scratch, 'db', ['hosts', 'setprop', 'www.example.org', '--', 'note', '--help']).status, 0);
    assert.equal(run(scratch, 'db', ['hosts', 'getprop', 'www.example.org', 'note']).stdout, '--help\n');
  });
});

describe('yargs errors: one line, then the usage', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  before(() => (scratch = makeScratch('sqlite')));
  after(() => scratch.remove());

  const cases: [BinName, string[], string][] = [
    ['smeconf', ['frob'], 'smeconf: Unknown argument: frob [E_USAGE]'],
    ['smeconf', [], 'smeconf: name a command [E_USAGE]'],
    ['expand-template', [], 'expand-template: Not enough non-option arguments: got 0, need at least 1 [E_USAGE]'],
    ['expand-template', ['/etc/hosts', '--bogus'], 'expand-template: Unknown argument: bogus [E_USAGE]'],
  ];
  for (const [bin, args, line] of cases) {
    it(`${bin} ${args.join(' ')}: the message once, first, exit 2`, () => {
      const result = run(scratch, bin, args);
      assert.equal(result.status, 2);
      const lines = result.stderr.split('\n');
      assert.equal(lines[0], line);
      const message = line.replace(/^[^:]+: /, '').replace(/ \[E_USAGE\]$/, '');
      assert.equal(result.stderr.split(message).length - 1, 1, `the message more than once:\n${result.stderr}`);
      assert.match(result.stderr, /\nOptions:\n/, 'the usage follows');
    });
  }
});

describe('--version', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  before(() => (scratch = makeScratch('sqlite')));
  after(() => scratch.remove());

  for (const bin of ['db', 'config', 'expand-template', 'smeconf'] as const) {
    it(`${bin} --version prints "${VERSION.trim()}" (the root package.json), exit 0`, () => {
      assert.deepEqual(run(scratch, bin, ['--version']), { status: 0, stdout: VERSION, stderr: '' });
    });
  }
});

describe('a mistyped root (expand-template, smeconf)', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  before(() => (scratch = makeScratch('sqlite')));
  after(() => scratch.remove());

  it('a root that does not exist: one line E_ROOT_MISSING, exit 2, nothing created', () => {
    const typo = join(scratch.path, 'typo');
    const line = `no SME root at ${typo}: no such directory (check SMECONF_ROOT or --root) [E_ROOT_MISSING]\n`;
    assert.deepEqual(run(scratch, 'expand-template', ['--stdout', '/etc/hosts'], { SMECONF_ROOT: typo }), { status: 2, stdout: '', stderr: `expand-template: ${line}` });
    assert.deepEqual(run(scratch, 'smeconf', ['--root', typo, 'export', 'configuration']), { status: 2, stdout: '', stderr: `smeconf: ${line}` });
    assert.throws(() => statSync(typo));
  });
});

/** What bash offers for `words` (the last one being completed), through the function `smeconf completion` registers. */
function complete(scratch: Scratch, script: string, words: string[]): string[] {
  const program = `${script}
words=(${words.map((w) => `'${w}'`).join(' ')})
fn=$(complete -p "\${words[0]}" | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')
COMP_WORDS=("\${words[@]}"); COMP_CWORD=$(( \${#words[@]} - 1 )); COMP_LINE="\${words[*]}"; COMP_POINT=\${#COMP_LINE}
"$fn" "\${words[0]}" "\${words[COMP_CWORD]}" "\${words[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const env = { ...scratch.env, PATH: `${join(REPO, 'node_modules/.bin')}:${dirname(process.execPath)}:${process.env['PATH']}` };
  const result = spawnSync('bash', ['-c', program], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '').sort();
}

describe('smeconf completion (bash)', function () {
  this.timeout(30_000);
  let scratch: Scratch;
  let script: string;
  before(() => {
    scratch = makeScratch('sqlite');
    run(scratch, 'db', ['hosts', 'set', 'www.example.org', 'host', 'HostType', 'Self', 'letsencryptSSLcert', 'enabled']);
    run(scratch, 'db', ['hosts', 'set', 'ftp.example.org', 'host', 'HostType', 'Self']);
    run(scratch, 'config', ['set', 'letsencrypt', 'service', 'status', 'disabled', 'email', 'a@example.org']);
    const result = run(scratch, 'smeconf', ['completion']);
    assert.equal(result.status, 0, result.stderr);
    script = result.stdout;
  });
  after(() => scratch.remove());

  it('prints a bash script registering db, config, smeconf and signal-event', () => {
    const result = spawnSync('bash', ['-c', `${script}\ncomplete -p db config smeconf signal-event`], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('complete ')).length, 4, result.stdout);
  });

  it('smeconf: its subcommands, then their options', () => {
    const commands = complete(scratch, script, ['smeconf', '']);
    for (const name of ['completion', 'deps', 'export', 'import', 'initialize-default-databases', 'rdeps', 'watch']) assert.ok(commands.includes(name), commands.join(' '));
    assert.deepEqual(complete(scratch, script, ['smeconf', 'wa']), ['watch']);
    assert.deepEqual(complete(scratch, script, ['smeconf', 'watch', '--']), ['--dry-run', '--event', '--help', '--json', '--root', '--version']);
    assert.ok(complete(scratch, script, ['smeconf', 'export', '']).includes('configuration'));
  });

  it('db: database names, verbs, keys, then property names', () => {
    const names = complete(scratch, script, ['db', '']);
    for (const name of ['configuration', 'domains', 'hosts']) assert.ok(names.includes(name), names.join(' '));
    assert.deepEqual(complete(scratch, script, ['db', 'ho']), ['hosts']);
    assert.deepEqual(complete(scratch, script, ['db', 'hosts', 'set']), ['set', 'setdefault', 'setprop', 'settype']);
    assert.deepEqual(complete(scratch, script, ['db', 'hosts', 'setprop', '']), ['ftp.example.org', 'www.example.org']);
    assert.deepEqual(complete(scratch, script, ['db', 'hosts', 'setprop', 'www.example.org', '']), ['HostType', 'letsencryptSSLcert']);
    assert.deepEqual(complete(scratch, script, ['db', '--']), ['--help', '--json', '--root', '--version']);
  });

  it('config: verbs, keys, property names', () => {
    assert.deepEqual(complete(scratch, script, ['config', 'getp']), ['getprop']);
    assert.deepEqual(complete(scratch, script, ['config', 'getprop', 'lets']), ['letsencrypt']);
    assert.deepEqual(complete(scratch, script, ['config', 'setprop', 'letsencrypt', 'e']), ['email']);
  });

  it('a command\'s positional choices and string options come from its yargs builder', () => {
    const fake = {
      command: 'frob <action> <db> <key> [prop]',
      describe: 'a stand-in',
      builder: (y: Argv) => y.positional('action', { choices: ['renew', 'register'] }).option('event', { type: 'string' }),
      task: () => () => Promise.resolve(0),
    };
    const own = completionScript([fake], REPO);
    assert.deepEqual(complete(scratch, own, ['smeconf', '']), ['frob']);
    assert.deepEqual(complete(scratch, own, ['smeconf', 'frob', 're']), ['register', 'renew']);
    assert.deepEqual(complete(scratch, own, ['smeconf', 'frob', '--event', 'x', 'renew', 'ho']), ['hosts']);
    assert.deepEqual(complete(scratch, own, ['smeconf', 'frob', 'renew', 'hosts', 'f']), ['ftp.example.org']);
    assert.deepEqual(complete(scratch, own, ['smeconf', 'frob', 'renew', 'hosts', 'www.example.org', 'l']), ['letsencryptSSLcert']);
  });

  it('signal-event: event names', () => {
    const events = readdirSync(join(REPO, 'events')).filter((name) => name.startsWith('console-'));
    assert.deepEqual(complete(scratch, script, ['signal-event', 'console-']), events.sort());
  });
});

describe('docs stand on their own', () => {
  it('no page of the repository refers to sme-reference.md or compat-policy.md (users do not have them)', () => {
    const result = spawnSync('grep', ['-rln', '--include=*.md', '--include=*.ts', '--exclude-dir=node_modules', '--exclude-dir=dist', '-e', 'sme-reference', '-e', 'compat-policy', REPO], { encoding: 'utf8' });
    const files = result.stdout.split('\n').filter((line) => line !== '' && !line.endsWith('test/cli-help.test.ts'));
    assert.deepEqual(files, []);
  });
});
