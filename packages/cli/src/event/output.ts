import type { EventResult, HandlerResult, Progress } from '@smeconf/events';
import type { Io } from '../io.ts';

/**
 * How a text run reports, SME's stdout being silent: on a terminal
 * (`live`), each handler's line on stderr as it ends, with the output of
 * a failed or skipped one, then the summary; otherwise nothing while it
 * runs, and after a failure the failed and skipped handlers and the
 * summary. A dry run shows everything on stdout: its output is the answer.
 */
export interface TextReport {
  readonly onProgress: (progress: Progress) => void;
  readonly finish: (result: EventResult) => void;
}

export function textReport(io: Io, options: { readonly dryRun: boolean; readonly live: boolean }): TextReport {
  if (options.dryRun) {
    return {
      onProgress: (p) => {
        if (p.type !== 'end') return;
        io.out(handlerLine(p));
        if (p.output !== '') (p.status === 'failed' ? io.err : io.out)(indent(p.output));
      },
      finish: (result) => io.out(summary(result)),
    };
  }
  if (options.live) {
    return {
      onProgress: (p) => {
        if (p.type === 'end') io.err(handlerBlock(p));
      },
      finish: (result) => io.err(summary(result)),
    };
  }
  return {
    onProgress: () => {},
    finish: (result) => {
      if (result.ok) return;
      const notable = result.handlers.filter((h) => h.status === 'failed' || h.status === 'skipped');
      io.err(notable.map(handlerBlock).join('') + summary(result));
    },
  };
}

/** `NAME  STATUS  MS ms  NOTE`. */
function handlerLine(h: HandlerResult): string {
  return `${h.handler.padEnd(32)} ${h.status.padEnd(7)} ${String(h.ms).padStart(5)} ms${h.note === undefined || h.note === '' ? '' : `  ${h.note}`}\n`;
}

/** A handler's line, and its output when it failed or was skipped. */
function handlerBlock(h: HandlerResult): string {
  const shown = h.status === 'failed' || h.status === 'skipped';
  return handlerLine(h) + (shown && h.output !== '' ? indent(h.output) : '');
}

function indent(output: string): string {
  return output.replace(/^/gm, '    ').replace(/ +$/, '');
}

function summary(result: EventResult): string {
  const failed = result.handlers.filter((h) => h.status === 'failed').map((h) => h.handler);
  const what = result.dryRun ? 'dry run of event' : 'event';
  const verdict = failed.length === 0 ? 'ok' : `FAILED (${failed.join(', ')})`;
  return `${what} ${result.event}: ${result.handlers.length} handler${result.handlers.length === 1 ? '' : 's'}, ${verdict}, ${result.ms} ms\n`;
}
