import assert from 'node:assert/strict';
import { DataAccess, renderTemplate } from '../src/index.ts';
import { fragmentCompiler } from '../src/render.ts';
import type { RecordData } from '@smeconf/db';

const compiler = fragmentCompiler();
const record = (type: string, props: Record<string, string> = {}): RecordData => ({ type, props: new Map(Object.entries(props)) });

function render(sources: Record<string, string>, snapshot: Record<string, Record<string, RecordData>>) {
  const access = new DataAccess(new Map(Object.entries(snapshot).map(([db, recs]) => [db, new Map(Object.entries(recs))])));
  const problems: { path: string; line: number; column: number; message: string }[] = [];
  const fragments = Object.entries(sources).map(([name, source]) => ({ name, path: `/t/${name}`, source }));
  const text = renderTemplate({ templatePath: '/etc/x', fragments, dirs: [] }, access.configurationRoot(), {
    access,
    modules: new Map(),
    missingModules: new Set(),
    problems,
    compiler,
  });
  return { text, problems, access };
}

describe('renderTemplate (the pure core)', () => {
  it('interpolates values exactly, with no HTML escaping', () => {
    // (a record with no declared format: DomainName must be a domain name)
    const { text } = render({ '10': '{{Motd}} {{x.v}}\n' }, { configuration: { Motd: record('a&b<c>'), x: record('t', { v: '"quoted" \'s\'' }) } });
    assert.equal(text, 'a&b<c> "quoted" \'s\'\n');
  });

  it('records every read, and notes databases it does not have', () => {
    const { access } = render({ '10': '{{DomainName}}{{prop "sshd" "TCPPort" "22"}}{{#each (keys "hosts")}}{{/each}}' }, { configuration: { DomainName: record('d') } });
    assert.deepEqual([...access.reads.keys()].sort(), ['configuration\tDomainName\t', 'configuration\tsshd\tTCPPort', 'hosts\t\t']);
    assert.deepEqual([...access.missing], ['hosts']);
  });

  it('locates a parse error by line and column', () => {
    const { problems } = render({ '10': 'line one\nline {{ two\n' }, { configuration: {} });
    assert.deepEqual(problems.map((p) => [p.line, p.column]), [[2, 12]]);
  });

  it('a fragment that renders "0" or "" contributes exactly that', () => {
    const { text } = render({ '10': '0', '20': '', '30': '\n' }, { configuration: {} });
    assert.equal(text, '0\n');
  });
});
