import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRaw, encodeRaw, flatHeader, makeRecord, parseFlat, planOps, rawAt, scanFlat, serializeFlat, spliceFlat } from '@smeconf/db';
import type { Op, RecordData } from '@smeconf/db';
import { makeTempDir } from '@smeconf/db/testing';
import { FlatFileBackend } from '../src/index.ts';

/** A small deterministic generator (the same cases on every run). */
function random(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

// keys and values that meet every rule: byte order against UTF-16 order, white space and `#` that make a comment, Unicode spaces, "=", `|`, backslashes, CR, tab
const KEY_PARTS = ['a', 'b', 'B', '_', '1', '9', 'é', 'É', '✓', '😀', '\uffff', ' ', '\t', '#', '\u00a0', '\u3000'];
const VALUE_PARTS = ['x', 'Y', ' ', '|', '\\', '=', 'é', '😀', '\r', '\t', '#', 'n'];

function pick<T>(next: (n: number) => number, items: readonly T[]): T {
  return items[next(items.length)]!;
}

function text(next: (n: number) => number, parts: readonly string[], max: number): string {
  let result = '';
  for (let i = next(max + 1); i > 0; i--) result += pick(next, parts);
  return result;
}

function record(next: (n: number) => number): RecordData {
  const props = new Map<string, string>();
  for (let i = next(4); i > 0; i--) props.set(text(next, ['p', 'q', 'R', 'type'], 2) || 'p', text(next, ['v', 'w', ' ', 'é', '|', '\n', '='], 3));
  return makeRecord(text(next, ['t', 'u', ' ', '|'], 2), props);
}

/** A file: mostly as serializeFlat writes it (the splice path), else hand-edited in one of the ways that force the full path. */
function flatFile(next: (n: number) => number): string {
  const raw = new Map<string, string>();
  for (let i = next(12); i > 0; i--) raw.set(text(next, KEY_PARTS, 3), text(next, VALUE_PARTS, 6));
  const canonical = serializeFlat(raw, new Date(2024, 0, 1)).replace(/^(#.*\n){6}/, pick(next, ['', '# DO NOT MODIFY\n', '\n# a\n  # b\n\u00a0# c\n', flatHeader(new Date(2020, 1, 2))]));
  const lines = canonical.split('\n');
  switch (next(8)) {
    case 0: // a comment or blank line among the records
      lines.splice(next(lines.length), 0, pick(next, ['# note', '', '  ', '\t# x', '\u00a0#']));
      return lines.join('\n');
    case 1: // out of order, or a repeated key
      if (lines.length > 2) lines.splice(next(lines.length - 1), 0, lines[next(lines.length - 1)]!);
      return lines.join('\n');
    case 2: // no newline at the end
      return canonical.replace(/\n$/, '');
    case 3: // CRLF
      return canonical.replaceAll('\n', '\r\n');
    default:
      return canonical;
  }
}

function ops(next: (n: number) => number, known: readonly string[]): Op[] {
  const result: Op[] = [];
  for (let i = 1 + next(4); i > 0; i--) {
    const key = known.length > 0 && next(2) === 0 ? pick(next, known) : pick(next, [text(next, KEY_PARTS, 3), 'a=b', '\ud800x', ' a']);
    const kind = next(20);
    if (kind === 0) result.push({ op: 'clear' });
    else if (kind < 5) result.push({ op: 'set', key, record: record(next) });
    else if (kind < 7) result.push({ op: 'create', key, record: record(next) });
    else if (kind < 9) result.push({ op: 'fill', key, record: record(next) });
    else if (kind < 11) result.push({ op: 'delete', key });
    else if (kind < 13) result.push({ op: 'setType', key, type: text(next, ['t', 'x'], 2) });
    else if (kind < 17) result.push({ op: 'setProps', key, props: record(next).props });
    else result.push({ op: 'delProps', key, names: [text(next, ['p', 'q', 'R', 'type'], 2)] });
  }
  return result;
}

/** What the backend wrote before it could splice: parse everything, plan, serialise everything. */
function fullPath(file: string, batch: readonly Op[], now: Date): { written: string | undefined; existed: readonly boolean[] } {
  const raw = parseFlat(file);
  const plan = planOps({ get: (key) => (raw.has(key) ? decodeRaw(raw.get(key)!) : undefined), keys: () => raw.keys() }, batch);
  if (plan.writes.size === 0) return { written: undefined, existed: plan.existed };
  for (const [key, { after }] of plan.writes) {
    if (after === undefined) raw.delete(key);
    else raw.set(key, encodeRaw(after, { escapeNewlines: true, key }));
  }
  return { written: serializeFlat(raw, now), existed: plan.existed };
}

/** The file, past its leading comments and blank lines, is what serializeFlat writes after its header. */
function isCanonical(file: string): boolean {
  const lines = file.split('\n');
  const first = lines.findIndex((line) => !/^\s*(#|$)/.test(line));
  const records = first === -1 ? '' : lines.slice(first).join('\n');
  return records === serializeFlat(parseFlat(file), new Date()).replace(/^(#.*\n){6}/, '');
}

/** Whatever a function throws, as the code and message a user would see. */
function outcome<T>(run: () => T): T | { error: string } {
  try {
    return run();
  } catch (error) {
    return { error: `${(error as { code?: string }).code} ${(error as Error).message}` };
  }
}

describe('splicing changed lines into a flat file (property: the same bytes as parsing and writing it whole)', () => {
  const now = new Date(2025, 5, 7, 8, 9, 10);

  it('spliceFlat, for random canonical files and batches', () => {
    let spliced = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const file = flatFile(next);
      const raw = parseFlat(file);
      const batch = ops(next, [...raw.keys()]).filter((op) => op.op !== 'clear'); // a clear takes the full path
      const keys = batch.flatMap((op) => ('key' in op ? [op.key] : []));
      const scan = scanFlat(Buffer.from(file), 'f', keys);
      assert.equal(scan.canonical, isCanonical(file), `seed ${seed}: ${JSON.stringify(file)}`);
      if (!scan.canonical || !keys.every((key) => scan.places.has(key))) continue;
      const expected = outcome(() => fullPath(file, batch, now));
      const actual = outcome(() => {
        const plan = planOps({ get: (key) => { const value = rawAt(scan, key); return value === undefined ? undefined : decodeRaw(value); }, keys: () => [] }, batch);
        if (plan.writes.size === 0) return { written: undefined, existed: plan.existed };
        const changes = new Map([...plan.writes].map(([key, { after }]) => [key, after && encodeRaw(after, { escapeNewlines: true, key })] as const));
        return { written: spliceFlat(scan, changes, now).toString('utf8'), existed: plan.existed };
      });
      assert.deepEqual(actual, expected, `seed ${seed}: ${JSON.stringify(file)} ${JSON.stringify(batch, (_, v: unknown) => (v instanceof Map ? [...v] : v))}`);
      spliced++;
    }
    assert.ok(spliced > 1000, `only ${spliced} cases took the splice path`);
  });

  it('the backend, for random files and batches: same file, same existed, same errors; get as parseFlat reads', async () => {
    const dir = makeTempDir();
    try {
      const backend = new FlatFileBackend({ dir: dir.path });
      const path = join(dir.path, 'db');
      // as read back: a lone surrogate was written as U+FFFD
      const body = (file: string | undefined) => file && Buffer.from(file).toString('utf8').replace(/^(#.*\n){5}# updated: .*\n/, '# updated: (masked)\n');
      for (let seed = 1; seed <= 400; seed++) {
        const next = random(seed);
        const file = flatFile(next);
        writeFileSync(path, file);
        const raw = parseFlat(file);
        for (const key of [...raw.keys(), text(next, KEY_PARTS, 3), 'a=b', '#', '\ud800']) {
          assert.deepEqual(await backend.get('db', key), raw.has(key) ? decodeRaw(raw.get(key)!) : undefined, `seed ${seed} get ${JSON.stringify(key)}`);
        }
        const batch = ops(next, [...raw.keys()]);
        const expected = outcome(() => fullPath(file, batch, now));
        const actual = await backend.apply('db', batch).then(
          (result) => ({ written: result.changed ? readFileSync(path, 'utf8') : undefined, existed: result.existed }),
          (error: unknown) => ({ error: `${(error as { code?: string }).code} ${(error as Error).message}` }),
        );
        if ('error' in expected || 'error' in actual) assert.deepEqual(actual, expected, `seed ${seed}`);
        else assert.deepEqual({ ...actual, written: body(actual.written) }, { ...expected, written: body(expected.written) }, `seed ${seed}`);
        if (!('written' in actual) || actual.written === undefined) assert.equal(readFileSync(path, 'utf8'), file, `seed ${seed}: rewritten`);
      }
    } finally {
      dir.remove();
    }
  });

  it('finds a control character at any offset and alignment, as parseFlat does', () => {
    for (let code = 0; code < 0x80; code++) {
      for (let at = 0; at < 24; at++) {
        const plain = 'k=abcdefghi\nx=yyyyyyyyyyyy\n';
        const file = plain.slice(0, at) + String.fromCharCode(code) + plain.slice(at);
        for (const offset of [0, 1, 2, 3]) {
          const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(file)]).subarray(offset);
          // as the backend reads: the scan, then parseFlat for a file that is not canonical
          const read = () => scanFlat(bytes, 'f', []).canonical || parseFlat(file, 'f').size > 0;
          assert.deepEqual(outcome(read), outcome(() => parseFlat(file, 'f').size > 0), `U+${code.toString(16)} at ${at}, offset ${offset}`);
        }
      }
    }
  });

  it('E_DB_CORRUPT names the same line as parseFlat, canonical or not', async () => {
    const dir = makeTempDir();
    try {
      const backend = new FlatFileBackend({ dir: dir.path });
      const path = join(dir.path, 'db');
      for (const file of ['a=1\nb=2\nbare\nc=3\n', 'b=1\na=2\nbare\n', '# h\nbare', 'a=1\n# c\nbare\nz=\n', 'a=1\nb=2\x01\n', 'bare\nx=\x7f\n']) {
        writeFileSync(path, file);
        const message = outcome(() => parseFlat(file, `database ${path}`));
        assert.ok('error' in message);
        await assert.rejects(backend.get('db', 'a'), (error: Error & { code: string }) => `${error.code} ${error.message}` === message.error);
        await assert.rejects(backend.apply('db', [{ op: 'set', key: 'a', record: makeRecord('t') }]), (error: Error & { code: string }) => `${error.code} ${error.message}` === message.error);
        assert.equal(readFileSync(path, 'utf8'), file);
      }
    } finally {
      dir.remove();
    }
  });
});
