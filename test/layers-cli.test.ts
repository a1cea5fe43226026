import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@smeconf/db/testing';
import { BACKENDS, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';
import { EtcdCluster, haveEtcd } from './helpers/etcd-cluster.ts';

const LAYERS = { SMECONF_LAYERS: 'fleet,group:web,host' };

// every verb but history (its lines carry times) and show --json (with layers it says where props come from)
const SEQUENCE: readonly (readonly string[])[] = [
  ['config', 'keys'],
  ['config', 'show'],
  ['config', 'set', 'DomainName', 'example.com'],
  ['config', 'set', 'sshd', 'service', 'status', 'enabled', 'TCPPort', '22', 'access', 'private'],
  ['config', 'set', 'weird', 'a type', 'pipe', 'a|b', 'nl', 'l1\nl2', 'empty', ''],
  ['config', 'show'],
  ['config', 'print'],
  ['config', 'get', 'sshd'],
  ['config', 'printtype'],
  ['config', 'gettype', 'sshd'],
  ['config', 'printprop', 'sshd', 'status', 'nope', 'TCPPort'],
  ['config', 'getprop', 'weird', 'nl'],
  ['config', 'setprop', 'sshd', 'type', 'a prop', 'status', 'disabled'],
  ['config', 'setprop', 'ghost', 'p', 'v'],
  ['config', 'delprop', 'sshd', 'type', 'access', 'nope'],
  ['config', 'delprop', 'ghost', 'p'],
  ['config', 'settype', 'sshd', 'other'],
  ['config', 'settype', 'ghost', 'x'],
  ['config', 'setdefault', 'sshd', 'again', 'p', 'v'],
  ['config', 'setdefault', 'fresh', 'host', 'p', 'v'],
  ['config', 'delete', 'fresh'],
  ['config', 'delete', 'fresh'],
  ['config', 'setprop', 'sshd', 'note', '--layer'],
  ['config', 'print', 'sshd', '--json'],
  ['config', '--json', 'printtype'],
  ['db', 'configuration', 'keys', '--json'],
  ['db', 'hosts', 'set', 'www', 'host', 'HostType', 'Self'],
  ['db', 'hosts', 'print'],
  ['config', 'set', 'bad\nkey', 'x'],
  ['config', 'setprop', 'sshd'],
  ['config', 'frobnicate'],
];

for (const backend of BACKENDS) {
  describe(`db and config with layers whose lower layers are empty (${backend})`, function () {
    this.timeout(120_000);
    let plain: Scratch;
    let layered: Scratch;
    before(() => {
      plain = makeScratch(backend);
      layered = makeScratch(backend, LAYERS);
    });
    after(() => {
      plain.remove();
      layered.remove();
    });

    it('give the same output, warnings and exit status as without layers, byte for byte', () => {
      for (const [bin, ...args] of SEQUENCE) {
        const without = run(plain, bin as 'db' | 'config', args);
        const withLayers = run(layered, bin as 'db' | 'config', args);
        assert.deepEqual(withLayers, without, `${bin} ${args.join(' ')}`);
      }
      assert.equal(existsSync(join(layered.dbDir, 'layers')), false, 'no lower layer was written');
    });
  });
}

describe('db and config over layers fleet < group:web < host', function () {
  this.timeout(120_000);
  let scratch: Scratch;
  const config = (...args: string[]) => run(scratch, 'config', args);
  before(() => (scratch = makeScratch('sqlite', LAYERS)));
  after(() => scratch.remove());

  it('write to the chosen layer and read the merged view, the higher layer winning', () => {
    assert.equal(config('--layer', 'fleet', 'set', 'sshd', 'service', 'status', 'enabled', 'TCPPort', '22').status, 0);
    assert.equal(run(scratch, 'db', ['configuration', '--layer=group:web', 'setprop', 'sshd', 'TCPPort', '2200']).status, 0);
    assert.equal(config('setprop', 'sshd', 'TCPPort', '2222', 'access', 'public').status, 0);
    assert.deepEqual(config('show', 'sshd'), { status: 0, stdout: 'sshd=service\n    TCPPort=2222\n    access=public\n    status=enabled\n', stderr: '' });
    assert.deepEqual(config('--layer', 'fleet', 'getprop', 'sshd', 'TCPPort'), { status: 0, stdout: '2222\n', stderr: '' }, '--layer chooses where writes go; reads are the merged view');
    assert.ok(existsSync(join(scratch.dbDir, 'layers/fleet.sqlite')) && existsSync(join(scratch.dbDir, 'layers/group-web.sqlite')));
  });

  it('show --json says where each prop and the type come from', () => {
    assert.deepEqual(config('show', 'sshd', '--json'), {
      status: 0,
      stdout: '{"key":"sshd","type":"service","props":{"TCPPort":"2222","access":"public","status":"enabled"},"from":{"TCPPort":"host","access":"host","status":"fleet"},"typeFrom":"host"}\n',
      stderr: '',
    });
    config('--layer', 'fleet', 'set', 'ntpd', 'service', 'status', 'enabled');
    assert.equal(
      config('--json', 'show').stdout,
      '[{"key":"ntpd","type":"service","props":{"status":"enabled"},"from":{"status":"fleet"},"typeFrom":"fleet"},' +
        '{"key":"sshd","type":"service","props":{"TCPPort":"2222","access":"public","status":"enabled"},"from":{"TCPPort":"host","access":"host","status":"fleet"},"typeFrom":"host"}]\n',
    );
    assert.deepEqual(config('show', 'nothere', '--json'), { status: 1, stdout: '', stderr: '' });
  });

  it('delprop on the host layer reveals the lower value; delete on the host leaves the lower record showing', () => {
    assert.equal(config('delprop', 'sshd', 'TCPPort').status, 0);
    assert.equal(config('getprop', 'sshd', 'TCPPort').stdout, '2200\n');
    assert.equal(config('--layer', 'group:web', 'delprop', 'sshd', 'TCPPort').status, 0);
    assert.equal(config('getprop', 'sshd', 'TCPPort').stdout, '22\n');
    assert.equal(config('delete', 'sshd').status, 0, 'the host layer had sshd (its access prop)');
    assert.equal(config('show', 'sshd').stdout, 'sshd=service\n    TCPPort=22\n    status=enabled\n');
    assert.equal(config('delete', 'sshd').status, 1, 'the host layer has no sshd any more');
    assert.equal(config('--layer', 'fleet', 'delete', 'sshd').status, 0);
    assert.deepEqual(config('get', 'sshd'), { status: 0, stdout: 'service\n', stderr: '' }, 'group:web keeps its record, its props deleted');
    assert.equal(config('--layer', 'group:web', 'delete', 'sshd').status, 0);
    assert.deepEqual(config('get', 'sshd'), { status: 1, stdout: '', stderr: '' });
  });

  it('setprop on a record only in the fleet layer makes a host record of its type with only that prop', () => {
    assert.equal(config('setprop', 'ntpd', 'status', 'disabled').status, 0);
    assert.equal(run(scratch, 'config', ['show', 'ntpd'], { SMECONF_LAYERS: 'host' }).stdout, 'ntpd=service\n    status=disabled\n', 'the host layer alone');
    assert.equal(config('getprop', 'ntpd', 'status').stdout, 'disabled\n');
  });
});

describe('templates and events over layers: expand-template and signal-event see the merged view', function () {
  this.timeout(60_000);
  let scratch: Scratch;
  before(() => (scratch = makeScratch('sqlite', { ...LAYERS, SMECONF_SERVICE_MANAGER: 'none' })));
  after(() => scratch.remove());

  it('a fleet prop reaches a rendered file; a host override wins; its delprop brings the fleet value back', () => {
    const template = join(scratch.path, 'etc/e-smith/templates-custom/etc/motd');
    mkdirSync(template, { recursive: true });
    writeFileSync(join(template, 'template-begin'), ''); // no generated-file header: the one line compares whole
    writeFileSync(join(template, '10motd'), 'welcome to {{prop "motd" "Banner" "nothing"}}\n');
    const expand = () => run(scratch, 'expand-template', ['--stdout', '/etc/motd']);
    assert.deepEqual(expand(), { status: 0, stdout: 'welcome to nothing\n', stderr: '' });
    assert.equal(run(scratch, 'config', ['--layer', 'fleet', 'set', 'motd', 'service', 'Banner', 'the fleet']).status, 0);
    assert.deepEqual(expand(), { status: 0, stdout: 'welcome to the fleet\n', stderr: '' });
    assert.equal(run(scratch, 'config', ['setprop', 'motd', 'Banner', 'this host']).status, 0);
    assert.equal(expand().stdout, 'welcome to this host\n');
    assert.equal(run(scratch, 'config', ['delprop', 'motd', 'Banner']).status, 0);
    assert.equal(expand().stdout, 'welcome to the fleet\n');
    // an event's expand step too (templates2expand of a custom event)
    const event = join(scratch.path, 'etc/e-smith/events/motd-update/templates2expand/etc');
    mkdirSync(event, { recursive: true });
    writeFileSync(join(event, 'motd'), '');
    assert.equal(run(scratch, 'signal-event', ['motd-update']).status, 0);
    assert.equal(readFileSync(join(scratch.path, 'etc/motd'), 'utf8'), 'welcome to the fleet\n');
  });
});

describe('layers on the flatfile backend', () => {
  it('keep each lower layer as SME flat files of its own directory', () => {
    const scratch = makeScratch('flatfile', LAYERS);
    try {
      assert.equal(run(scratch, 'config', ['--layer', 'group:web', 'set', 'httpd-e-smith', 'service', 'MaxClients', '400']).status, 0);
      assert.equal(readFileSync(join(scratch.dbDir, 'layers/group-web/configuration'), 'utf8').split('\n').at(-2), 'httpd-e-smith=service|MaxClients|400');
      assert.equal(run(scratch, 'config', ['setprop', 'httpd-e-smith', 'TCPPort', '8080']).status, 0);
      assert.equal(run(scratch, 'config', ['print', 'httpd-e-smith']).stdout, 'httpd-e-smith=service|MaxClients|400|TCPPort|8080\n');
      assert.equal(existsSync(join(scratch.dbDir, 'layers/fleet')), false, 'a layer never written has no directory');
    } finally {
      scratch.remove();
    }
  });
});

describe('--layer and SMECONF_LAYERS errors', () => {
  let scratch: Scratch;
  before(() => (scratch = makeScratch('sqlite')));
  after(() => scratch.remove());

  it('--layer without layers is a usage error naming why', () => {
    const result = run(scratch, 'config', ['--layer', 'fleet', 'keys']);
    assert.deepEqual([result.status, result.stderr.split('\n')[0]], [2, 'config: --layer fleet: this server has no layers (SMECONF_LAYERS is not set) [E_USAGE]']);
  });

  it('a layer this server does not have, or a bad SMECONF_LAYERS, is E_LAYER_INVALID', () => {
    assert.deepEqual(run(scratch, 'config', ['--layer', 'group:odoo', 'keys'], LAYERS), {
      status: 2,
      stdout: '',
      stderr: 'config: no layer group:odoo on this server (SMECONF_LAYERS: fleet,group:web,host) [E_LAYER_INVALID]\n',
    });
    assert.deepEqual(run(scratch, 'config', ['keys'], { SMECONF_LAYERS: 'host,fleet' }), {
      status: 2,
      stdout: '',
      stderr: 'config: invalid layer list "host,fleet": it must end with host (the host layer is the highest) [E_LAYER_INVALID]\n',
    });
  });

  it('a legacy flat-file path has no layers', () => {
    const result = run(scratch, 'db', ['--layer', 'fleet', 'sub/file', 'keys'], LAYERS);
    assert.deepEqual([result.status, result.stderr.split('\n')[0]], [2, 'db: --layer fleet: a legacy flat-file path (a "/" in the name, or DBPATH) has no layers [E_USAGE]']);
    assert.equal(run(scratch, 'db', ['sub/file', 'keys'], LAYERS).status, 1, 'without --layer it is the flat file, as always');
  });
});

describe('layers on etcd: a layer is a key prefix', function () {
  this.timeout(120_000);
  let cluster: EtcdCluster;
  let dir: ReturnType<typeof makeTempDir>;
  let scratch: Scratch;
  // two servers of one fleet: each its own root and host name, the same cluster and prefix
  const on = (host: string, ...args: string[]) =>
    run(scratch, 'config', args, { SMECONF_BACKEND: 'etcd', SMECONF_ETCD_ENDPOINTS: cluster.endpoints.join(','), SMECONF_HOST: host, ...LAYERS });

  before(async function () {
    if (!haveEtcd()) this.skip();
    dir = makeTempDir();
    cluster = await EtcdCluster.start(join(dir.path, 'etcd'), 1);
    scratch = makeScratch('sqlite');
  });
  after(async () => {
    await cluster?.stop();
    scratch?.remove();
    dir?.remove();
  });

  it('a fleet-wide prop reaches every host; a host-layer override wins on its host only', () => {
    assert.equal(on('web-1', '--layer', 'fleet', 'set', 'sshd', 'service', 'TCPPort', '22').status, 0);
    assert.equal(on('web-1', 'setprop', 'sshd', 'TCPPort', '2222').status, 0);
    assert.equal(on('web-1', 'getprop', 'sshd', 'TCPPort').stdout, '2222\n');
    assert.equal(on('web-2', 'getprop', 'sshd', 'TCPPort').stdout, '22\n');
    assert.equal(on('web-2', 'show', 'sshd', '--json').stdout, '{"key":"sshd","type":"service","props":{"TCPPort":"22"},"from":{"TCPPort":"fleet"},"typeFrom":"fleet"}\n');
    assert.equal(on('web-1', 'delprop', 'sshd', 'TCPPort').status, 0);
    assert.equal(on('web-1', 'getprop', 'sshd', 'TCPPort').stdout, '22\n', 'the fleet value shows again');
  });
});
