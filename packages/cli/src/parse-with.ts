import type { Argv } from 'yargs';
import { UsageError } from '@smeconf/errors';
import type { Io } from './io.ts';
import { reportError } from './report-error.ts';

/**
 * Parses argv with a yargs parser without letting yargs print or exit:
 * returns the parsed arguments, or the exit status after --help or
 * --version (0, on stdout) or a usage error (2: our one line
 * `prog: message [E_USAGE]`, then yargs' usage text without the message
 * it repeats, on stderr, as the db commands do). `version` is called only
 * for --version.
 */
export function parseWith(parser: Argv, argv: readonly string[], io: Io, program: string, version: () => string): Record<string, unknown> | number {
  let failure: Error | undefined;
  let output = '';
  const parsed = parser
    .strict()
    .help()
    .version('version', 'print the version', argv.includes('--version') ? version() : '') // read only when asked
    .exitProcess(false)
    .parseSync([...argv], {}, (error, _args, text) => {
      failure = error ?? undefined;
      output = text;
    });
  const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  if (failure !== undefined) {
    const status = reportError(program, new UsageError(failure.message), io);
    const usage = output.endsWith(failure.message) ? output.slice(0, -failure.message.length).trimEnd() : output;
    io.err(withNewline(usage));
    return status;
  }
  if (output !== '') {
    io.out(withNewline(output));
    return 0;
  }
  return parsed;
}
