import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigDb, MemoryBackend } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { READS_DB, backendLoader, expandTargets, readId, readsRecord } from '../src/index.ts';
import type { ExpandTargetsOptions } from '../src/index.ts';

/**
 * How many render passes a target costs. Fragments that count their calls
 * into a file show it: one pass when the recorded reads name the databases
 * to load; a pass that meets a database not loaded yet stops there.
 */
describe('render passes', () => {
  let dir: TempDir;
  let root: string;
  let backend: MemoryBackend;
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** A JavaScript fragment that renders `text` and counts its calls in <root>/counts/<name>. */
  const counting = (name: string, text = '') =>
    `import { appendFileSync } from 'node:fs';\nexport default () => {\n  appendFileSync(${JSON.stringify(join(root, 'counts', name))}, '.');\n  return ${JSON.stringify(text)};\n};\n`;
  const calls = (name: string) => (existsSync(join(root, 'counts', name)) ? readFileSync(join(root, 'counts', name), 'utf8').length : 0);
  const options = (more: Partial<ExpandTargetsOptions> = {}): ExpandTargetsOptions => ({
    root,
    queue: { templateDirs: [join(root, 't')], metadataDirs: [join(root, 'm')], defaultDirs: [] },
    loadDb: backendLoader(backend),
    warn: () => {},
    mode: 'write',
    checkEnv: { PATH: process.env['PATH'] },
    ...readsRecord(backend),
    ...more,
  });
  const expand = async (more: Partial<ExpandTargetsOptions> = {}) => {
    const [outcome] = await expandTargets(['/etc/x.conf'], options(more));
    assert.equal(outcome!.failure, undefined);
    return { content: readFileSync(join(root, 'etc/x.conf'), 'utf8'), reads: outcome!.rendered!.reads.map(readId).sort() };
  };

  beforeEach(async () => {
    dir = makeTempDir();
    root = join(dir.path, 'root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, 'counts'));
    backend = new MemoryBackend();
    await new ConfigDb(backend, 'configuration').set('DomainName', 'example.com');
    await new ConfigDb(backend, 'hosts').set('www.example.com', 'host');
    put('t/etc/x.conf/template-begin', '');
    put('t/etc/x.conf/05first.mjs', counting('first', 'first\n'));
    put('t/etc/x.conf/10hosts', '{{DomainName}}:{{#each (keys "hosts")}} {{this}}{{/each}}\n');
    put('t/etc/x.conf/20last.mjs', counting('last', 'last\n'));
  });
  afterEach(() => dir.remove());

  it('without recorded reads: a pass stops at the first database not loaded, and the next renders it all', async () => {
    const { content } = await expand();
    assert.equal(content, 'first\nexample.com: www.example.com\nlast\n');
    assert.deepEqual([calls('first'), calls('last')], [2, 1], 'the fragment after the miss ran once');
  });

  it('with the reads the last run recorded: one pass, the same output and the same reads', async () => {
    const first = await expand();
    const before = [calls('first'), calls('last')];
    const second = await expand();
    assert.deepEqual([calls('first') - before[0]!, calls('last') - before[1]!], [1, 1]);
    assert.deepEqual(second, first);
    const recorded = await new ConfigDb(backend, READS_DB).get('/etc/x.conf');
    assert.deepEqual([...recorded!.props.keys()].sort(), first.reads);
  });

  it('reads identical to the recorded ones are not written again: no write transaction (on flat files, no lock)', async () => {
    const writes: string[] = [];
    const apply = backend.apply.bind(backend);
    backend.apply = (db, ops, more) => {
      writes.push(db);
      return apply(db, ops, more);
    };
    await expand();
    await expand();
    assert.deepEqual(writes, [READS_DB]);
    await new ConfigDb(backend, 'configuration').set('DomainName', 'example.org');
    writes.length = 0;
    await expand();
    assert.deepEqual(writes, [], 'the same reads of another value');
    put('t/etc/x.conf/30more', '{{prop "DomainName" "x" "y"}}\n');
    await expand();
    assert.deepEqual(writes, [READS_DB], 'a new read is recorded');
  });

  it('recorded reads are a hint: a database they do not name still gets its pass, a stale one changes nothing', async () => {
    await expand();
    await new ConfigDb(backend, READS_DB).set('/etc/x.conf', 'reads', new Map([['nosuchdb\t\t', '']]));
    const { content, reads } = await expand();
    assert.equal(content, 'first\nexample.com: www.example.com\nlast\n');
    assert.deepEqual(reads, ['configuration\tDomainName\t', 'hosts\t\t']);
  });

  it('the JavaScript fragments of sub-templates are loaded before the first pass', async () => {
    put('t/etc/x.conf/10hosts', '{{#each (keys "hosts")}}{{expand "Host" host=this}}{{/each}}');
    put('t/etc/x.conf/Host/10name.mjs', 'export default ({ data, raw }) => `host ${raw(data.host)}\\n`;\n');
    await expand({ recordedReads: () => Promise.resolve([{ db: 'hosts', key: null, prop: null }]) });
    assert.equal(readFileSync(join(root, 'etc/x.conf'), 'utf8'), 'first\nhost www.example.com\nlast\n');
    assert.deepEqual([calls('first'), calls('last')], [1, 1]);
  });

  it('a fragment that catches the stop itself still gets the pass that renders with the database', async () => {
    put('t/etc/x.conf/10hosts', ''); // an empty file is no fragment
    put('t/etc/x.conf/10hosts.mjs', "export default ({ keys, raw }) => {\n  try {\n    return keys('hosts').map(raw).join(',') + '\\n';\n  } catch {\n    return 'caught\\n';\n  }\n};\n");
    const { content } = await expand({ recordedReads: () => Promise.resolve(undefined) });
    assert.equal(content, 'first\nwww.example.com\nlast\n');
    assert.deepEqual([calls('first'), calls('last')], [2, 2]);
  });
});
