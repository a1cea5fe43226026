import assert from 'node:assert/strict';
import { DbError, InternalError } from '@smeconf/errors';
import type { Io } from '../src/io.ts';
import { reportError } from '../src/report-error.ts';

function capture(debug = false): Io & { text: () => string } {
  let text = '';
  return { out: () => {}, err: (t) => (text += t), debug, text: () => text };
}

describe('the error boundary', () => {
  it('a ToolError: one line with its code and exit status', () => {
    const io = capture();
    assert.equal(reportError('db', new DbError('E_DB_BUSY', 'busy'), io), 4);
    assert.equal(io.text(), 'db: busy [E_DB_BUSY]\n');
  });

  it('a message with newlines still makes one line', () => {
    const io = capture();
    reportError('db', new DbError('E_DB_IO', 'cannot write:\n  disk full\n'), io);
    assert.equal(io.text(), 'db: cannot write: disk full [E_DB_IO]\n');
  });

  it('anything else is a bug: one E_INTERNAL line asking for a report, exit 70, no stack', () => {
    const io = capture();
    assert.equal(reportError('expand-template', new TypeError("Cannot read properties of undefined (reading 'x')"), io), 70);
    assert.equal(
      io.text(),
      "expand-template: internal error: Cannot read properties of undefined (reading 'x'); this is a bug in smeconf, please report it with the output of the same command run with SMECONF_DEBUG=1 [E_INTERNAL]\n",
    );
  });

  it('an InternalError thrown on purpose reads the same', () => {
    const io = capture();
    assert.equal(reportError('db', new InternalError('revision went backwards'), io), 70);
    assert.match(io.text(), /^db: internal error: revision went backwards; this is a bug in smeconf, .* \[E_INTERNAL\]\n$/);
  });

  it('with debug (SMECONF_DEBUG=1) the stack and its cause follow the line', () => {
    const io = capture(true);
    const cause = new Error('root cause');
    reportError('db', new DbError('E_DB_IO', 'outer', { cause }), io);
    const [first, ...rest] = io.text().split('\n');
    assert.equal(first, 'db: outer [E_DB_IO]');
    assert.match(rest.join('\n'), /^DbError: outer\n\s+at .*[\s\S]*\ncaused by: Error: root cause\n\s+at /);
  });
});
