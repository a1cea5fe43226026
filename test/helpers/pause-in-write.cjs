'use strict';
// Preloaded (`node -r`) into a bin by test/helpers/kill-mid-write.ts: makes
// the process stop at one exact point of its write path, print a marker on
// stderr and block there, so that the test's kill -9 is known to land inside
// the critical section (issue #11 item 8), whatever the machine's speed.
//
// SMECONF_TEST_PAUSE is JSON {at, match, nth?, when?}:
//   at: 'writeSync' | 'fsyncSync' | 'renameSync' (node:fs; the path of the
//       descriptor, or the rename's destination) or 'sql' (a better-sqlite3
//       statement's run(), matched on its SQL text);
//   match: a regular expression for that path or SQL; nth: the nth match (1);
//   when: 'before' (default), 'after', or 'half' (writeSync: write the first
//       half of the data, then stop: a torn write).
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const spec = JSON.parse(process.env.SMECONF_TEST_PAUSE ?? 'null');
if (spec !== null) install(spec);

function install({ at, match, nth = 1, when = 'before' }) {
  const pattern = new RegExp(match);
  const originalWrite = fs.writeSync;
  let seen = 0;
  const hits = (what) => pattern.test(what) && ++seen === nth;
  const pause = (what) => {
    originalWrite(2, `smeconf-test: paused ${when} ${at} ${what}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until the kill
  };

  if (at === 'sql') return wrapStatements(hits, pause, when);
  const paths = new Map();
  const originalOpen = fs.openSync;
  fs.openSync = function openSync(path, ...rest) {
    const fd = originalOpen.call(this, path, ...rest);
    paths.set(fd, String(path));
    return fd;
  };
  const original = fs[at];
  fs[at] = function paused(...args) {
    const what = at === 'renameSync' ? String(args[1]) : paths.get(args[0]) ?? `fd ${args[0]}`;
    if (!hits(what)) return original.apply(this, args);
    if (when === 'half') writeHalf(originalWrite, args);
    if (when === 'before' || when === 'half') pause(what);
    const result = original.apply(this, args);
    pause(what);
    return result;
  };
  syncBuiltinESMExports(); // ESM `import { writeSync } from 'node:fs'` sees the wrapper too
}

/** The first half of what writeSync(fd, data[, offset[, length]]) was asked to write. */
function writeHalf(write, [fd, data, offset, length]) {
  if (typeof data === 'string') return write(fd, data.slice(0, data.length >> 1));
  const start = typeof offset === 'number' ? offset : 0;
  const size = typeof length === 'number' ? length : data.byteLength - start;
  return write(fd, data, start, size >> 1);
}

function wrapStatements(hits, pause, when) {
  const root = require('node:path').resolve(__dirname, '../..');
  const Database = require(require.resolve('better-sqlite3', { paths: [root] }));
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql, ...rest) {
    const statement = prepare.call(this, sql, ...rest);
    const run = statement.run;
    statement.run = function (...args) {
      if (!hits(sql)) return run.apply(this, args);
      if (when === 'before') pause(sql);
      const result = run.apply(this, args);
      pause(sql);
      return result;
    };
    return statement;
  };
}
