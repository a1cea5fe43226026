import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { abortRollout, applyRollout, promoteRollout } from '@smeconf/agent';
import type { RolloutPhase, RolloutStores } from '@smeconf/agent';
import { MemoryBackend, makeRecord } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import { EtcdBackend } from '@smeconf/db-etcd';
import { ErrorCodes, ToolError } from '@smeconf/errors';
import { exitCodeFor } from '../packages/cli/src/exit-codes.ts';
import { reportError } from '../packages/cli/src/report-error.ts';
import { REPO, makeScratch, run } from './helpers/cli.ts';
import { EtcdCluster } from './helpers/etcd-cluster.ts';
import type { BinName, RunResult, Scratch } from './helpers/cli.ts';

/**
 * Every code docs/errors.md lists, triggered for real, with the shape users
 * see: one line `prog: message [E_CODE]` (plus the documented details of a
 * usage error, a template failure or an event failure), the documented exit
 * status, and never a stack frame. A code listed without a trigger fails.
 */

interface Documented {
  readonly code: string;
  readonly exit: number;
  /** `(inside E_X)`: the code shows on a detail line of an E_X report. */
  readonly inside: string | undefined;
  /** "listed first": details come before the one `prog:` line. */
  readonly detailsFirst: boolean;
}

function documentedCodes(): Documented[] {
  const text = readFileSync(join(REPO, 'docs/errors.md'), 'utf8');
  return [...text.matchAll(/^\| `(E_[A-Z0-9_]+)` \| (\d+) \| (.*) \|$/gm)].map(([, code, exit, meaning]) => ({
    code: code!,
    exit: Number(exit),
    inside: /^\(inside (E_[A-Z0-9_]+)\)/.exec(meaning!)?.[1],
    detailsFirst: meaning!.includes('listed first'),
  }));
}

interface Trigger {
  readonly bin: BinName;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** undefined: this machine cannot stage it (the test says so and skips). */
type Setup = (scratch: Scratch) => Trigger | undefined;

function put(scratch: Scratch, path: string, text: string): string {
  const full = join(scratch.path, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

/** Mount points to unmount after the catalogue. */
const mounts: string[] = [];

/** A root on its own tiny tmpfs holding a store (root only: undefined elsewhere), for a full or read-only disk. */
function tinyRoot(scratch: Scratch, name: string): string | undefined {
  const root = join(scratch.path, name);
  mkdirSync(root);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', root]).status !== 0) return undefined;
  mounts.push(root);
  mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
  assert.equal(run(scratch, 'db', ['--root', root, 'configuration', 'set', 'k', 't']).status, 0);
  return root;
}

function fill(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096, 1));
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
}

/** A root of its own with one configuration record (`config set ARGS…`). */
function leRoot(scratch: Scratch, name: string, record: string[]): string {
  const root = join(scratch.path, name);
  mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
  assert.equal(run(scratch, 'config', ['--root', root, 'set', ...record]).status, 0);
  return root;
}

const TPL = 'etc/e-smith/templates';
const EV = 'etc/e-smith/events';
const FLAT = { SMECONF_BACKEND: 'flatfile' };

/**
 * An etcd endpoint that accepts connections and never answers: what a member
 * without quorum (or leader) looks like to a client. Listening by the time
 * the tests run; unref'd, so it holds nothing up.
 */
const silentMember = createServer(() => {}).listen(0, '127.0.0.1');
silentMember.unref();
const ETCD = { SMECONF_BACKEND: 'etcd', SMECONF_ETCD_TIMEOUT_MS: '300' };

/** How to trigger each code through a real bin, all on one scratch root. */
const TRIGGERS: Readonly<Record<string, Setup>> = {
  E_USAGE: () => ({ bin: 'db', args: [] }),
  E_DB_BACKEND_UNKNOWN: () => ({ bin: 'db', args: ['configuration', 'keys'], env: { SMECONF_BACKEND: 'nosuch' } }),
  E_LAYER_INVALID: () => ({ bin: 'config', args: ['--layer', 'group:nosuch', 'keys'], env: { SMECONF_LAYERS: 'fleet,host' } }),
  // port 1 (tcpmux): nothing listens there
  E_DB_UNREACHABLE: () => ({ bin: 'db', args: ['configuration', 'keys'], env: { ...ETCD, SMECONF_ETCD_ENDPOINTS: 'http://127.0.0.1:1' } }),
  E_DB_NO_QUORUM: () => ({
    bin: 'config',
    args: ['set', 'k', 't'],
    env: { ...ETCD, SMECONF_ETCD_ENDPOINTS: `http://127.0.0.1:${(silentMember.address() as AddressInfo).port}` },
  }),
  E_DB_KEY_INVALID: () => ({ bin: 'db', args: ['configuration', 'set', 'a=b', 't'] }),
  E_DB_PROP_INVALID: () => ({ bin: 'db', args: ['configuration', 'set', 'k', 't', 'a\nb', 'v'] }),
  E_DB_VALUE_UNREPRESENTABLE: () => ({ bin: 'db', args: ['configuration', 'set', 'k', 't', 'path', 'C:\\new'], env: FLAT }),
  E_DB_NO_HISTORY: () => ({ bin: 'db', args: ['configuration', 'history'], env: FLAT }),
  E_DB_IO: (s) => {
    mkdirSync(join(s.path, 'dirdb/home/e-smith/db/configuration'), { recursive: true }); // a directory where the database file should be
    return { bin: 'db', args: ['--root', join(s.path, 'dirdb'), 'configuration', 'set', 'k', 't'], env: FLAT };
  },
  E_ROOT_MISSING: (s) => ({ bin: 'config', args: ['show'], env: { SMECONF_ROOT: join(s.path, 'typo') } }),
  E_DB_BUSY: (s) => {
    // flock(1) exits 1 when -w runs out: a stand-in that says so at once
    chmodSync(put(s, 'stub-bin/flock', '#!/bin/sh\nexit 1\n'), 0o755);
    return { bin: 'db', args: ['configuration', 'set', 'k', 't'], env: { ...FLAT, PATH: `${join(s.path, 'stub-bin')}:${process.env['PATH']}` } };
  },
  E_DB_NAME_INVALID: () => ({ bin: 'db', args: ['.hidden', 'keys'] }),
  E_DB_FULL: (s) => {
    const root = tinyRoot(s, 'full');
    if (root === undefined) return undefined;
    fill(root);
    return { bin: 'db', args: ['--root', root, 'configuration', 'set', 'k2', 't'] };
  },
  E_DB_READONLY: (s) => {
    const root = tinyRoot(s, 'readonly');
    if (root === undefined) return undefined;
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', root]).status, 0);
    return { bin: 'db', args: ['--root', root, 'configuration', 'set', 'k2', 't'] };
  },
  E_DB_CORRUPT: (s) => {
    chmodSync(put(s, 'corrupt/home/e-smith/db/smeconf.sqlite', 'this is not a database\n'.repeat(200)), 0o600);
    return { bin: 'db', args: ['--root', join(s.path, 'corrupt'), 'configuration', 'keys'] };
  },
  E_EVT_INVALID_NAME: () => ({ bin: 'signal-event', args: ['actions'] }),
  E_EVT_NOT_FOUND: () => ({ bin: 'signal-event', args: ['nosuch'] }),
  E_EVT_ACTION_FAILED: (s) => {
    put(s, `${EV}/thrower/S10throw.mjs`, "export default () => {\n  throw new Error('kaputt');\n};\n");
    return { bin: 'signal-event', args: ['thrower'] };
  },
  E_SVC_CONTROL: (s) => {
    run(s, 'config', ['set', 'shellsvc', 'service', 'status', 'enabled', 'ServiceManager', 'command', 'startCommand', '/usr/sbin/shellsvc --daemon']);
    put(s, `${EV}/svcbad/services2adjust/shellsvc`, 'restart\n');
    return { bin: 'signal-event', args: ['svcbad'] };
  },
  E_LE_DISABLED: (s) => ({ bin: 'smeconf', args: ['--root', leRoot(s, 'le-disabled', ['letsencrypt', 'service', 'status', 'disabled']), 'letsencrypt', 'renew'] }),
  E_LE_TERMS_NOT_ACCEPTED: (s) => ({ bin: 'smeconf', args: ['--root', leRoot(s, 'le-terms', ['letsencrypt', 'service', 'status', 'test']), 'letsencrypt', 'renew'] }),
  // no console-save yet: no generated dehydrated config
  E_LE_UNAVAILABLE: (s) => ({ bin: 'smeconf', args: ['--root', leRoot(s, 'le-new', ['letsencrypt', 'service', 'status', 'test', 'ACCEPT_TERMS', 'yes']), 'letsencrypt', 'renew'] }),
  E_LE_PREFLIGHT_FAILED: (s) => {
    // the name's DNS is asked at 127.0.0.1:1, where nothing answers: the primary fails the preflight
    const root = leRoot(s, 'le-preflight', ['letsencrypt', 'service', 'status', 'test', 'ACCEPT_TERMS', 'yes', 'configure', 'all', 'CheckResolver', '127.0.0.1:1']);
    assert.equal(run(s, 'config', ['--root', root, 'set', 'DomainName', 'example.test']).status, 0);
    mkdirSync(join(root, 'etc/dehydrated'), { recursive: true });
    writeFileSync(join(root, 'etc/dehydrated/config'), '# as console-save writes it\n');
    return { bin: 'smeconf', args: ['--root', root, 'letsencrypt', 'renew'] };
  },
  E_SERVE_NO_TOKEN: (s) => ({ bin: 'smeconf', args: ['--root', leRoot(s, 'serve-no-token', ['statuspage', 'service', 'TCPPort', '8089']), 'serve'] }),
  // an address of the documentation range, on no interface here: listen() fails, nothing is sent
  E_SERVE_LISTEN: (s) => ({ bin: 'smeconf', args: ['--root', leRoot(s, 'serve-listen', ['statuspage', 'service', 'Token', 'catalogue-token-0123456789']), 'serve', '--bind', '2001:db8::5', '--port', '0'] }),
  E_SSL_SELF_SIGNED: (s) => {
    const root = leRoot(s, 'ssl-keysize', ['modSSL', 'service', 'status', 'enabled', 'keysize', 'big']);
    for (const [key, type] of [['DomainName', 'example.com'], ['SystemName', 'server']]) run(s, 'config', ['--root', root, 'set', key!, type!]);
    return { bin: 'smeconf', args: ['--root', root, 'letsencrypt', 'self-signed'] };
  },
  E_TPL_NO_FRAGMENTS: () => ({ bin: 'expand-template', args: ['/etc/none'] }),
  E_TPL_RENDER: (s) => {
    put(s, `${TPL}/etc/parsebad/10`, '{{#if x}}\nunclosed\n');
    return { bin: 'expand-template', args: ['/etc/parsebad'] };
  },
  E_TPL_METADATA: (s) => {
    put(s, `${TPL}/etc/metabad/10`, 'x\n');
    put(s, 'etc/e-smith/templates.metadata/etc/metabad', 'PERMS 0600\n');
    return { bin: 'expand-template', args: ['/etc/metabad'] };
  },
  E_TPL_UNSAFE_VALUE: (s) => {
    run(s, 'config', ['set', 'noted', 'service', 'note', 'line1\nline2']);
    put(s, `${TPL}/etc/unsafe/10`, 'Comment {{noted.note}}\n');
    return { bin: 'expand-template', args: ['/etc/unsafe'] };
  },
  E_TPL_PATH: () => ({ bin: 'expand-template', args: ['/etc/../../escaped'] }),
  E_TPL_PERL_FRAGMENT: (s) => {
    put(s, `${TPL}/etc/perl.conf/10`, '{\n    $OUT .= "Listen 80\\n";\n}\n');
    return { bin: 'expand-template', args: ['/etc/perl.conf'] };
  },
  E_TPL_CHECK: (s) => {
    put(s, `${TPL}/etc/checked/10`, 'x\n');
    put(s, 'etc/e-smith/templates.metadata/etc/checked', 'CHECK=["sh", "-c", "echo the check says no; exit 1"]\n');
    return { bin: 'expand-template', args: ['/etc/checked'] };
  },
  E_TPL_OUTPUT: (s) => {
    put(s, `${TPL}/etc/nodir/x.conf/10`, 'x\n');
    return { bin: 'expand-template', args: ['/etc/nodir/x.conf'] };
  },
  // a dangling fragment link is not handled on purpose today: the one bug we can trigger at will
  E_INTERNAL: (s) => {
    mkdirSync(join(s.path, TPL, 'etc/dangling'), { recursive: true });
    symlinkSync(join(s.path, 'nowhere'), join(s.path, TPL, 'etc/dangling/10'));
    return { bin: 'expand-template', args: ['--stdout', '/etc/dangling'] };
  },
};

/** Rollout stores whose state is `phase` (its layers are never reached). */
function rolloutIn(phase: RolloutPhase | undefined): RolloutStores {
  const layer = Object.assign(new MemoryBackend(), { databases: async () => [] });
  const value = phase === undefined ? undefined : { value: JSON.stringify({ id: 'r1', state: phase, created: '', by: 'admin', stoppedBy: 'c0', error: 'event x failed' }), mod: 1 };
  return { fleet: layer, rollout: layer, control: { getValue: async () => value, putValueIf: async () => undefined } };
}

/** Codes only library callers can meet: thrown by the library, shown through the CLI's error boundary. */
const LIBRARY_ONLY: Readonly<Record<string, () => Promise<unknown>>> = {
  // the rollout's codes through its library, its state in memory (test/fleet-rollout.test.ts meets them through `smeconf fleet` on etcd)
  E_ROLLOUT_ACTIVE: () => applyRollout(rolloutIn('canary'), [{ db: 'configuration', key: 'k', prop: 'p', value: 'v' }], 'admin', new Date()),
  E_ROLLOUT_STOPPED: () => promoteRollout(rolloutIn('stopped')),
  E_ROLLOUT_STATE: () => abortRollout(rolloutIn(undefined)),
  E_DB_CONFLICT: async () => {
    const backend = new MemoryBackend();
    await backend.apply('configuration', [{ op: 'set', key: 'k', record: { type: 't', props: new Map() } }]);
    return backend.apply('configuration', [{ op: 'delete', key: 'k' }], { expectRevision: 0 });
  },
  // a real 1-member etcd (CI installs etcd-server): changes since a revision it has compacted
  E_DB_HISTORY_COMPACTED: async () => {
    const dir = makeTempDir();
    const cluster = await EtcdCluster.start(join(dir.path, 'etcd'), 1);
    const backend = new EtcdBackend({ endpoints: cluster.endpoints, prefix: '/catalogue' });
    try {
      const first = await backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('1') }]);
      const second = await backend.apply('configuration', [{ op: 'set', key: 'k', record: makeRecord('2') }]);
      await backend.compact(second.revision);
      return await backend.changesSince(first.revision - 1);
    } finally {
      await backend.close();
      await cluster.stop();
      dir.remove();
    }
  },
};

const programOf = (bin: BinName): string => bin;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The shape docs/errors.md promises for one report of `outer` (holding `code` on a detail line when inside). */
function assertShape(result: RunResult, program: string, doc: Documented, outerDoc: Documented | undefined): void {
  const outer = doc.inside ?? doc.code;
  const where = `stderr was:\n${result.stderr}`;
  assert.doesNotMatch(result.stderr, /^\s*at /m, `a stack frame: ${where}`);
  assert.equal(result.status, doc.exit, `exit status: ${where}`);
  assert.ok(result.stderr.endsWith('\n'), where);
  const lines = result.stderr.slice(0, -1).split('\n');
  const errorLine = new RegExp(`^${escape(program)}: .+ \\[${outer}\\]$`);
  const reports = lines.filter((line) => /^\S+: .* \[E_[A-Z0-9_]+\]$/.test(line) && line.startsWith(`${program}: `));
  assert.equal(reports.length, 1, `one error line: ${where}`);
  assert.match(reports[0]!, errorLine, where);
  const details = lines.filter((line) => line !== reports[0]);
  if (outer === 'E_USAGE') {
    assert.equal(lines[0], reports[0], where);
    assert.ok(details.every((line) => !line.includes('[E_')), `usage text only: ${where}`);
  } else if ((outerDoc ?? doc).detailsFirst) {
    assert.equal(lines.at(-1), reports[0], `the error line last: ${where}`);
    assert.ok(details.length > 0, `details first: ${where}`);
    if (outer === 'E_TPL_RENDER') assert.ok(details.every((line) => /^\/\S*:\d+:\d+: \S/.test(line)), `fragment:line:col: message lines: ${where}`);
    // each failed handler's line (name, status, time, note), its output indented, then the event's summary
    const eventDetail = (line: string) => line.startsWith('    ') || /^\S+ +(failed|skipped) +\d+ ms\b/.test(line) || /^event \S+: \d+ handlers?, FAILED \(/.test(line);
    if (outer === 'E_EVT_ACTION_FAILED') assert.ok(details.every(eventDetail), `handler lines, indented output, summary: ${where}`);
  } else {
    assert.deepEqual(lines, [reports[0]], `exactly one line: ${where}`);
  }
  if (doc.inside !== undefined) assert.ok(details.some((line) => line.endsWith(` [${doc.code}]`)), `a detail line ending [${doc.code}]: ${where}`);
}

describe('error catalogue: every documented code, as users see it', function () {
  this.timeout(20_000);
  let scratch: Scratch;
  before(() => {
    scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
    mkdirSync(join(scratch.path, 'etc'), { recursive: true });
  });
  after(() => {
    for (const mount of mounts.splice(0)) spawnSync('umount', [mount]);
    scratch.remove();
  });

  const documented = documentedCodes();

  it('docs/errors.md lists exactly the codes of packages/errors, with the CLI exit statuses', () => {
    assert.deepEqual(documented.map((d) => d.code).sort(), Object.keys(ErrorCodes).sort());
    for (const doc of documented) assert.equal(exitCodeFor(doc.code as keyof typeof ErrorCodes), doc.exit, doc.code);
  });

  for (const doc of documented) {
    it(`${doc.code}: exit ${doc.exit}${doc.inside ? `, inside ${doc.inside}` : ''}, no stack`, async function () {
      const library = LIBRARY_ONLY[doc.code];
      if (library !== undefined) {
        const error = await library().then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof ToolError && error.code === doc.code, `expected a ToolError ${doc.code}, got ${String(error)}`);
        let stderr = '';
        const status = reportError('lib', error, { out: () => {}, err: (text) => (stderr += text) });
        assertShape({ status, stdout: '', stderr }, 'lib', doc, undefined);
        return;
      }
      const setup = TRIGGERS[doc.code];
      assert.ok(setup !== undefined, `no trigger for ${doc.code}: add one to TRIGGERS in test/errors-catalogue.test.ts`);
      const trigger = setup(scratch);
      if (trigger === undefined) {
        console.error(`    SKIPPED ${doc.code}: this machine cannot stage it (mounting a tmpfs needs root)`);
        this.skip();
      }
      const result = run(scratch, trigger.bin, trigger.args, trigger.env);
      assertShape(result, programOf(trigger.bin), doc, documented.find((d) => d.code === doc.inside));
    });
  }
});

describe('errors name the file and line, never a stack', function () {
  this.timeout(20_000);
  let scratch: Scratch;
  before(() => {
    scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
    mkdirSync(join(scratch.path, 'etc'), { recursive: true });
  });
  after(() => scratch.remove());

  it('a JavaScript fragment with a syntax error: its file:line:col, E_TPL_RENDER, exit 5', () => {
    const file = put(scratch, `${TPL}/etc/jsbad/10frag.mjs`, 'export default function (ctx) {\n  return "a" +;\n}\n');
    const result = run(scratch, 'expand-template', ['/etc/jsbad']);
    assert.deepEqual(
      [result.status, result.stderr],
      [5, `${file}:2:15: syntax error: Unexpected token ';'\nexpand-template: template processing failed for /etc/jsbad: 1 error [E_TPL_RENDER]\n`],
    );
  });

  it('a JavaScript fragment that throws while loading: its file:line:col', () => {
    const file = put(scratch, `${TPL}/etc/jsload/10frag.mjs`, 'const x = 1;\nundefinedThing();\nexport default () => "x";\n');
    const result = run(scratch, 'expand-template', ['/etc/jsload']);
    assert.deepEqual(
      [result.status, result.stderr],
      [5, `${file}:2:1: undefinedThing is not defined\nexpand-template: template processing failed for /etc/jsload: 1 error [E_TPL_RENDER]\n`],
    );
  });

  it('a JavaScript event handler that throws: one line naming file:line:col, then the event failure', () => {
    const file = put(scratch, `${EV}/jsfail/S10throw.mjs`, "export default () => {\n  throw new Error('kaputt');\n};\n");
    const result = run(scratch, 'signal-event', ['jsfail']);
    assert.deepEqual(
      [result.status, result.stdout, result.stderr.replace(/ +\d+ ms/g, ' N ms')],
      [1, '', `S10throw.mjs${' '.repeat(20)} failed N ms\n    ${file}:2:9: kaputt [E_EVT_ACTION_FAILED]\nevent jsfail: 1 handler, FAILED (S10throw.mjs), N ms\nsignal-event: event jsfail failed: S10throw.mjs [E_EVT_ACTION_FAILED]\n`],
    );
  });

  it('a DbError in the stock S00 handler: its own code, naming the action file and line', () => {
    const root = join(scratch.path, 'badkey');
    mkdirSync(join(root, 'home/e-smith/db'), { recursive: true });
    put(scratch, 'badkey/etc/e-smith/db/configuration/defaults/a=b/type', 'x\n');
    mkdirSync(join(root, EV, 'initbad'), { recursive: true });
    const action = join(REPO, 'events/actions/initialize-default-databases.mjs');
    symlinkSync(action, join(root, EV, 'initbad/S00initialize-default-databases'));
    const result = run(scratch, 'signal-event', ['--root', root, 'initbad']);
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /^\s*at /m);
    assert.match(result.stderr, new RegExp(`^    ${escape(action)}:\\d+:\\d+: invalid key "a=b": .+ \\[E_DB_KEY_INVALID\\]$`, 'm'));
    assert.match(result.stderr, /\nsignal-event: event initbad failed: S00initialize-default-databases \[E_EVT_ACTION_FAILED\]\n$/);
  });

  it('SMECONF_DEBUG=1 adds the stack of an internal error below its one line', () => {
    mkdirSync(join(scratch.path, TPL, 'etc/dangling'), { recursive: true });
    symlinkSync(join(scratch.path, 'nowhere'), join(scratch.path, TPL, 'etc/dangling/10'));
    const plain = run(scratch, 'expand-template', ['--stdout', '/etc/dangling']);
    const debug = run(scratch, 'expand-template', ['--stdout', '/etc/dangling'], { SMECONF_DEBUG: '1' });
    assert.equal(debug.status, 70);
    assert.ok(debug.stderr.startsWith(plain.stderr), debug.stderr);
    assert.match(debug.stderr, /^\s+at /m);
  });
});
