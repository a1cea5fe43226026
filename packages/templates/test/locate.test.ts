import assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import { locateProblem } from '../src/locate.ts';

// locate.ts reads Handlebars' English messages; each shape it knows is met
// here by compiling and running a real failing fragment with the installed
// handlebars, under the options renders use (strict, knownHelpersOnly).
const env = Handlebars.create();
env.registerHelper('prop', () => '');
env.registerHelper('fails', () => {
  throw new Error('the helper failed');
});
const options = { strict: true, noEscape: true, knownHelpers: { prop: true, fails: true }, knownHelpersOnly: true };

function locate(source: string): [number, number, string] {
  const fragment = { name: '10', path: '/t/10', source };
  try {
    env.compile(source, options)({ x: {} });
  } catch (error) {
    const { path, line, column, message } = locateProblem(error, fragment);
    assert.equal(path, '/t/10');
    return [line, column, message];
  }
  assert.fail(`${JSON.stringify(source)} rendered`);
}

const expecting = (message: string): string => message.replace(/^parse error: Expecting .*, got /, 'parse error: … got ');

describe('locateProblem on the installed handlebars\' messages', () => {
  it('a parse error ("Parse error on line N:" with a ---^ marker): the line, and the column from the text before it', () => {
    const [line, column, message] = locate('line one\nline {{ two\n');
    assert.deepEqual([line, column, expecting(message)], [2, 12, "parse error: … got 'EOF'"]);
  });

  it('a parse error whose marker text runs on from the line before (newlines removed)', () => {
    const [line, column, message] = locate('a\nb {{foo bar}\n');
    assert.deepEqual([line, column, expecting(message)], [2, 12, "parse error: … got 'INVALID'"]);
  });

  it('a parse error far into a long line (the marker text starts with ...)', () => {
    const [line, column, message] = locate(`${'x'.repeat(40)} {{foo bar}\n`);
    assert.deepEqual([line, column, expecting(message)], [1, 51, "parse error: … got 'INVALID'"]);
    const [line2, column2] = locate(`${'x'.repeat(40)}\nb {{foo bar}\n`);
    assert.deepEqual([line2, column2], [2, 12]);
  });

  it('an unknown helper ("You specified knownHelpersOnly, but used the unknown helper X - L:C")', () => {
    assert.deepEqual(locate('a\nb {{nosuch 1}}'), [2, 3, 'unknown helper nosuch']);
  });

  it('a missing value in strict mode (\'"X" not defined in … - L:C\')', () => {
    assert.deepEqual(locate('a\n  {{missing}}'), [2, 5, 'missing is not defined (for an optional value use {{prop KEY PROP DEFAULT}})']);
    assert.deepEqual(locate('{{x.y.z}}'), [1, 3, 'z is not defined (for an optional value use {{prop KEY PROP DEFAULT}})']);
  });

  it('other located messages ("X doesn\'t match Y - L:C", "Invalid path: … - L:C") keep their words, without the suffix', () => {
    assert.deepEqual(locate('abc\n{{#if x}}\n{{/each}}\n'), [2, 4, "if doesn't match each"]);
    assert.deepEqual(locate('{{foo/../bar}}'), [1, 3, 'Invalid path: foo/..']);
  });

  it('a message with no place (a helper that throws, a built-in misused) is put at 1:1, as it is', () => {
    assert.deepEqual(locate('a\n{{fails}}'), [1, 1, 'the helper failed']);
    assert.deepEqual(locate('a\n{{#each}}{{/each}}'), [1, 1, 'Must pass iterator to #each']);
  });
});
