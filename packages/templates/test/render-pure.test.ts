import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import type { RecordData } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import { DataAccess, renderTemplate, resolveFragments } from '../src/index.ts';
import type { ResolvedTemplate, TemplateQueue } from '../src/index.ts';
import { fragmentCompiler } from '../src/render.ts';
import type { RenderContext } from '../src/render.ts';

const record = (type: string): RecordData => ({ type, props: new Map() });

function context(compiler = fragmentCompiler()): RenderContext & { access: DataAccess } {
  const access = new DataAccess(new Map([['configuration', new Map([['DomainName', record('example.org')]])]]));
  return { access, modules: new Map(), missingModules: new Set(), problems: [], compiler };
}

function render(template: ResolvedTemplate, ctx = context()) {
  const text = renderTemplate(template, ctx.access.configurationRoot(), ctx);
  return { text, problems: ctx.problems.map((p) => p.message) };
}

describe('a pure render: sub-templates resolved before, the compiler injected', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let queue: TemplateQueue;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir.path, path)), { recursive: true });
    writeFileSync(join(dir.path, path), text);
  };
  beforeEach(() => {
    dir = makeTempDir();
    queue = { templateDirs: [join(dir.path, 'custom'), join(dir.path, 'templates')], metadataDirs: [], defaultDirs: [] };
    write('templates/etc/x/template-begin', '');
    write('templates/etc/x/10', '{{expand "Sub" n=1}}{{expand "Sub/Deeper"}}');
    write('templates/etc/x/Sub/10', 'sub {{n}} {{DomainName}}\n');
    write('templates/etc/x/Sub/Deeper/10', 'deeper\n');
    write('custom/etc/x/Sub/20', 'custom sub\n');
  });
  afterEach(() => dir.remove());

  it('resolves every sub-template with the template: rendering reads nothing from disk', () => {
    const template = resolveFragments(queue, '/etc/x', () => {})!;
    rmSync(join(dir.path, 'templates'), { recursive: true });
    rmSync(join(dir.path, 'custom'), { recursive: true });
    assert.deepEqual(render(template), { text: 'sub 1 example.org\ncustom sub\ndeeper\n', problems: [] });
  });

  it('resolves each sub-template path once per memo (a run), warnings included', () => {
    write('templates/etc/x/Sub/30~', 'backup\n');
    const memo = new Map<string, ResolvedTemplate | undefined>();
    const warnings: string[] = [];
    const first = resolveFragments(queue, '/etc/x', (w) => warnings.push(w), memo)!;
    const second = resolveFragments(queue, '/etc/x', (w) => warnings.push(w), memo)!;
    assert.equal(first.subs?.get('Sub'), second.subs?.get('Sub'));
    assert.deepEqual([...memo.keys()].sort(), ['/etc/x/Sub', '/etc/x/Sub/Deeper']);
    assert.equal(warnings.length, 1);
  });

  it('a missing sub-template or one named with .. is the fragment problem', () => {
    write('templates/etc/y/10', '{{expand "Nope"}}{{expand "../x/Sub"}}\n');
    const template = resolveFragments(queue, '/etc/y', () => {})!;
    assert.deepEqual(render(template).problems, ['no sub-template Nope under /etc/y']);
    write('templates/etc/z/10', '{{expand "../x/Sub"}}\n');
    const escaping = resolveFragments(queue, '/etc/z', () => {})!;
    assert.match(render(escaping).problems.join('\n'), /sub-template name "\.\.\/x\/Sub" must not contain \.\./);
  });

  it('compiles through the compiler of its context, each text once', () => {
    const compiled: string[] = [];
    const inner = fragmentCompiler();
    const spy = { compile: (source: string) => (compiled.push(source), inner.compile(source)), perlBlock: (source: string) => inner.perlBlock(source) } as unknown as RenderContext['compiler'];
    const template = resolveFragments(queue, '/etc/x', () => {})!;
    assert.equal(render(template, context(spy)).text, 'sub 1 example.org\ncustom sub\ndeeper\n');
    assert.deepEqual(compiled, ['{{expand "Sub" n=1}}{{expand "Sub/Deeper"}}', 'sub {{n}} {{DomainName}}\n', 'custom sub\n', 'deeper\n']);
  });

  it('each compiler has its own Handlebars environment: a helper registered globally does not leak in', () => {
    Handlebars.registerHelper('leaked', () => 'LEAK');
    try {
      const template = { templatePath: '/etc/w', fragments: [{ name: '10', path: '/t/10', source: '{{leaked}}' }], dirs: [] };
      assert.match(render(template).problems.join('\n'), /leaked/);
      assert.notEqual(fragmentCompiler().compile('a'), fragmentCompiler().compile('a'));
    } finally {
      Handlebars.unregisterHelper('leaked');
    }
  });
});
