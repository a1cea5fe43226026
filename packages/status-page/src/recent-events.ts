import { open } from 'node:fs/promises';

/** One line of the page's "recent events": an event run or a certificate renewal. */
export interface PageEvent {
  readonly time: string;
  /** `event console-save`, `certificate renew`. */
  readonly what: string;
  /** error: a failed run or renewal; warning: a certificate warning (e.g. `"certificate":"expiry"`). */
  readonly level: 'ok' | 'warning' | 'error';
  /** A catalogue code (certificate lines), else ''. */
  readonly code: string;
  readonly detail: string;
}

/** How much of the log's end is read: handler lines carry their output, runs are rarer. */
const TAIL_BYTES = 256 * 1024;

/**
 * The last `limit` runs of the event log (JSON lines), newest first: event
 * runs (`{"time","event","args","ok","failed",…}`, not the per-handler
 * lines) and certificate renewals (`{"time","certificate","result","code",
 * "detail","names"}`; `"certificate":"expiry"` warnings too). Only the log's last 256 KiB are read; a missing log
 * has no events; lines that are not such JSON are skipped.
 */
export async function readRecentEvents(path: string, limit: number): Promise<PageEvent[]> {
  let text: string;
  try {
    text = await readTail(path, TAIL_BYTES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: PageEvent[] = [];
  const lines = text.split('\n');
  for (let at = lines.length - 1; at >= 0 && events.length < limit; at--) {
    const event = pageEvent(lines[at]!);
    if (event !== undefined) events.push(event);
  }
  return events;
}

async function readTail(path: string, bytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    await file.read(buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1); // a cut first line is dropped
  } finally {
    await file.close();
  }
}

/** A log line as a page event; undefined for a handler line or anything else. */
export function pageEvent(line: string): PageEvent | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  const time = text(record['time']);
  if (typeof record['event'] === 'string' && typeof record['ok'] === 'boolean') {
    const args = list(record['args']);
    const failed = list(record['failed']);
    return { time, what: ['event', record['event'], ...args].join(' '), level: record['ok'] ? 'ok' : 'error', code: '', detail: failed.length === 0 ? '' : `failed: ${failed.join(', ')}` };
  }
  if (typeof record['certificate'] === 'string') {
    const names = list(record['names']);
    const detail = [text(record['detail']), names.length === 0 ? '' : `names: ${names.join(' ')}`].filter(Boolean).join('; ');
    const result = text(record['result']);
    const what = `certificate ${record['certificate']}${['', 'ok', 'failed', 'warning'].includes(result) ? '' : ` (${result})`}`;
    return { time, what, level: result === 'failed' ? 'error' : result === 'warning' ? 'warning' : 'ok', code: text(record['code']), detail };
  }
  return undefined;
}
