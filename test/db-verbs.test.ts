import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

/** One `db configuration …` call and the exact stdout and status it must give. */
type Step = readonly [args: readonly string[], stdout: string, status: number];

const WEIRD = ['weird', 'a type', 'sp ace', 'v  w ', 'pipe', 'a|b', 'eq', 'x=y', 'uni', 'ünï ✓', 'empty', '', 'nl', 'l1\nl2'];

// SME's formats, with the fixes listed in docs/compatibility.md.
const STEPS: readonly Step[] = [
  [['keys'], '', 1],
  [['show'], '', 1],
  [['print'], '', 1],
  [['printtype'], '', 1],
  [['get', 'DomainName'], '', 1],
  [['set', 'DomainName', 'example.com'], '', 0],
  [['set', 'sshd', 'service', 'status', 'enabled', 'TCPPort', '22', 'access', 'private'], '', 0],
  [['set', ...WEIRD], '', 0],
  [['keys'], 'DomainName\nsshd\nweird\n', 0],
  [
    ['show'],
    'DomainName=example.com\nsshd=service\n    TCPPort=22\n    access=private\n    status=enabled\n' +
      'weird=a type\n    empty=\n    eq=x=y\n    nl=l1\nl2\n    pipe=a|b\n    sp ace=v  w \n    uni=ünï ✓\n',
    0,
  ],
  [['show', 'sshd'], 'sshd=service\n    TCPPort=22\n    access=private\n    status=enabled\n', 0],
  [['show', ' sshd '], 'sshd=service\n    TCPPort=22\n    access=private\n    status=enabled\n', 0],
  [
    ['print'],
    'DomainName=example.com\nsshd=service|TCPPort|22|access|private|status|enabled\n' +
      'weird=a type|empty||eq|x=y|nl|l1\nl2|pipe|a\\|b|sp ace|v  w |uni|ünï ✓\n',
    0,
  ],
  [['print', 'DomainName'], 'DomainName=example.com\n', 0],
  [['get', 'sshd'], 'service|TCPPort|22|access|private|status|enabled\n', 0],
  [['get', 'nothere'], '', 1],
  [['printtype'], 'DomainName=example.com\nsshd=service\nweird=a type\n', 0],
  [['printtype', 'sshd'], 'sshd=service\n', 0],
  [['gettype', 'sshd'], 'service\n', 0],
  [['gettype', 'nothere'], '', 1],
  [['getprop', 'weird', 'pipe'], 'a|b\n', 0],
  [['getprop', 'weird', 'empty'], '\n', 0],
  [['getprop', 'weird', 'nl'], 'l1\nl2\n', 0],
  [['getprop', 'weird', 'uni'], 'ünï ✓\n', 0],
  [['getprop', 'weird', 'nope'], '', 1],
  [['getprop', 'nothere', 'p'], '', 1],
  [['printprop', 'sshd'], 'TCPPort=22\naccess=private\nstatus=enabled\n', 0],
  [['printprop', 'sshd', 'status', 'nope', 'TCPPort'], 'status=enabled\nTCPPort=22\n', 0],
  [['printprop', 'nothere'], '', 1],
  [['printprop', 'nothere', 'status'], '', 0],
  [['setprop', 'sshd', 'type', 'a prop', 'status', 'disabled'], '', 0],
  [['show', 'sshd'], 'sshd=service\n    TCPPort=22\n    access=private\n    status=disabled\n    type=a prop\n', 0],
  [['gettype', 'sshd'], 'service\n', 0],
  [['delprop', 'sshd', 'type', 'access', 'nope'], '', 0],
  [['settype', 'sshd', 'other'], '', 0],
  [['show', 'sshd'], 'sshd=other\n    TCPPort=22\n    status=disabled\n', 0],
  [['settype', 'nothere', 'x'], '', 1],
  [['setdefault', 'sshd', 'again', 'p', 'v'], '', 0],
  [['gettype', 'sshd'], 'other\n', 0],
  [['setdefault', 'fresh', 'host', 'p', 'v'], '', 0],
  [['print', 'fresh'], 'fresh=host|p|v\n', 0],
  [['set', 'sshd', 'replaced'], '', 0],
  [['show', 'sshd'], 'sshd=replaced\n', 0],
  [['delete', 'fresh'], '', 0],
  [['delete', 'fresh'], '', 1],
  [['set', 'blank', ''], '', 0],
  [['show', 'blank'], 'blank=\n', 0],
  [['gettype', 'blank'], '\n', 0],
  [['setprop', 'blank', 'p', 'v'], '', 0],
  [['show', 'blank'], 'blank=\n    p=v\n', 0],
  [['set', '0', 'zero'], '', 0],
  [['get', '0'], 'zero\n', 0],
  [['delprop', 'nothere', 'p'], '', 0],
  [['keys', '--json'], '["0","DomainName","blank","sshd","weird"]\n', 0],
  [['--json', 'show', 'sshd'], '{"key":"sshd","type":"replaced","props":{}}\n', 0],
  [['getprop', 'weird', 'nl', '--json'], '{"key":"weird","prop":"nl","value":"l1\\nl2"}\n', 0],
  [['printtype', '--json'], '[{"key":"0","type":"zero"},{"key":"DomainName","type":"example.com"},{"key":"blank","type":""},{"key":"sshd","type":"replaced"},{"key":"weird","type":"a type"}]\n', 0],
];

for (const backend of BACKENDS) {
  describe(`db verbs (${backend})`, function () {
    this.timeout(60_000);
    let scratch: Scratch;
    before(() => (scratch = makeScratch(backend)));
    after(() => scratch.remove());

    it('gives SME output and exit status for every verb, in order', () => {
      for (const [args, stdout, status] of STEPS) {
        const result = run(scratch, 'db', ['configuration', ...args]);
        assert.deepEqual([result.stdout, result.status], [stdout, status], `db configuration ${args.join(' ')}\n${result.stderr}`);
      }
    });

    it('config ARGS is db configuration ARGS', () => {
      for (const args of [['show'], ['print', 'weird'], ['getprop', 'weird', 'nl'], ['keys', '--json'], ['get', 'nothere']]) {
        const viaDb = run(scratch, 'db', ['configuration', ...args]);
        const viaConfig = run(scratch, 'config', args);
        assert.deepEqual(viaConfig, viaDb, args.join(' '));
      }
    });

    it('warns on stderr when setprop or delprop meet a missing key, and creates nothing', () => {
      const result = run(scratch, 'config', ['setprop', 'ghost', 'p', 'v']);
      assert.equal(result.status, 0);
      assert.equal(result.stderr, 'config: warning: no record ghost in configuration; nothing changed\n');
      assert.equal(run(scratch, 'config', ['get', 'ghost']).status, 1);
    });
  });
}

describe('db on the flatfile backend writes the SME file', () => {
  it('byte for byte, with escapes for pipes and newlines', () => {
    const scratch = makeScratch('flatfile');
    try {
      run(scratch, 'db', ['configuration', 'set', ...WEIRD]);
      run(scratch, 'db', ['configuration', 'set', 'DomainName', 'example.com']);
      const text = readFileSync(join(scratch.dbDir, 'configuration'), 'utf8');
      assert.equal(
        text.split('\n').slice(6).join('\n'),
        'DomainName=example.com\nweird=a type|empty||eq|x=y|nl|l1\\nl2|pipe|a\\|b|sp ace|v  w |uni|ünï ✓\n',
      );
    } finally {
      scratch.remove();
    }
  });
});
