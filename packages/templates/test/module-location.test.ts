import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir } from '@smeconf/db/testing';
import type { TempDir } from '@smeconf/db/testing';
import { arrowLocation, locateModuleError } from '../src/module-location.ts';

/** What Node 20's import() of an ES module with a syntax error throws: a SyntaxError whose stack names no file. */
function esmSyntaxError(message: string): SyntaxError {
  const error = new SyntaxError(message);
  error.stack = `SyntaxError: ${message}\n    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)`;
  return error;
}

describe('where a JavaScript module failed', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('an ES module syntax error (no place in the error): file:line:col from node --check', () => {
    const path = join(dir.path, 'bad.mjs');
    writeFileSync(path, 'export default function () {\n\treturn "a" +;\n}\n');
    assert.deepEqual(locateModuleError(esmSyntaxError("Unexpected token ';'"), path), { path, line: 2, column: 14, message: "syntax error: Unexpected token ';'" });
  });

  it('a syntax error in a module it imports: the module, no line, said so', () => {
    const path = join(dir.path, 'fine.mjs');
    writeFileSync(path, 'export default () => "x";\n');
    assert.deepEqual(locateModuleError(esmSyntaxError("Unexpected token ';'"), path), { path, message: "syntax error: Unexpected token ';' (in a module it imports)" });
  });

  it("Node's arrow (CommonJS syntax errors, link errors): the file it names, by path or file URL with a query", () => {
    const path = join(dir.path, 'link.mjs');
    const error = new SyntaxError("The requested module './ok.mjs' does not provide an export named 'nope'");
    error.stack = `${pathToFileURL(path).href}?mtime=12.5:1\nimport { nope } from "./ok.mjs";\n         ^^^^\n${error.message}`;
    assert.deepEqual(locateModuleError(error, path), { path, line: 1, column: 10, message: `syntax error: ${error.message}` });
    assert.deepEqual(arrowLocation('/x/y.js:2\n  return "a" +;\n              ^\n\nSyntaxError: Unexpected token'), { path: '/x/y.js', line: 2, column: 15 });
  });

  it("a runtime error: the module's innermost frame, else no line", () => {
    const path = join(dir.path, 'handler.mjs');
    const error = new Error('kaputt');
    error.stack = `Error: kaputt\n    at inner (/lib/x.js:1:1)\n    at Module.default (${pathToFileURL(path).href}:7:9)\n    at outer (${pathToFileURL(path).href}:20:1)`;
    assert.deepEqual(locateModuleError(error, path), { path, line: 7, column: 9, message: 'kaputt' });
    assert.deepEqual(locateModuleError('a string', path), { path, message: 'a string' });
  });
});
