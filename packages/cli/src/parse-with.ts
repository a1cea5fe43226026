import type { Argv } from 'yargs';
import { UsageError } from '@smeconf/errors';
import type { Io } from './io.ts';
import { reportError } from './report-error.ts';

/**
 * Parses argv with a yargs parser without letting yargs print or exit:
 * returns the parsed arguments, or the exit status after --help (0) or a
 * usage error (2, with yargs' usage text on stderr).
 */
export function parseWith(parser: Argv, argv: readonly string[], io: Io, program: string): Record<string, unknown> | number {
  let failure: Error | undefined;
  let output = '';
  const parsed = parser
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .parseSync([...argv], {}, (error, _args, text) => {
      failure = error ?? undefined;
      output = text;
    });
  const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  if (failure !== undefined) {
    io.err(withNewline(output));
    return reportError(program, new UsageError(failure.message), io);
  }
  if (output !== '') {
    io.out(withNewline(output));
    return 0;
  }
  return parsed;
}
