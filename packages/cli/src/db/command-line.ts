import { UsageError } from '@smeconf/errors';

/** `db [OPTIONS] DBNAME [OPTIONS] VERB ARGS…`, read by hand (no parser library on the hot path). */
export interface CommandLine {
  root?: string;
  /** `--layer fleet|group:NAME|host`: the layer written to (docs/fleet.md). */
  layer?: string;
  json: boolean;
  /** `--help` before DBNAME or VERB, or anywhere among the verb's arguments before `--`. */
  help: boolean;
  version: boolean;
  dbName: string | undefined;
  verb: string | undefined;
  args: string[];
  /** The verb's arguments end with `--json` (given before any `--`): a read verb takes it as the option. */
  trailingJson: boolean;
}

/**
 * Options stand before DBNAME and between DBNAME and VERB. Among the verb's
 * arguments only `--help` is an option, and only before `--`: the first `--`
 * is dropped and everything after it is taken as it is.
 */
export function parseCommandLine(argv: readonly string[], fixedDb: string | undefined): CommandLine {
  const line: CommandLine = { json: false, help: false, version: false, dbName: undefined, verb: undefined, args: [], trailingJson: false };
  let literal = false;
  let i = 0;
  const options = (): void => {
    for (; i < argv.length && !literal; i++) {
      const arg = argv[i]!;
      if (arg === '--') literal = true;
      else if (!arg.startsWith('-')) break;
      else if (arg === '--help' || arg === '-h') line.help = true;
      else if (arg === '--version') line.version = true;
      else if (arg === '--json') line.json = true;
      else if (arg === '--root') line.root = argv[++i] ?? missingValue('--root');
      else if (arg.startsWith('--root=')) line.root = arg.slice('--root='.length);
      else if (arg === '--layer') line.layer = argv[++i] ?? missingValue('--layer');
      else if (arg.startsWith('--layer=')) line.layer = arg.slice('--layer='.length);
      else throw new UsageError(`unknown option ${arg}`);
    }
  };
  options();
  line.dbName = fixedDb ?? argv[i++];
  options();
  line.verb = argv[i++];
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  if (literal) {
    line.args = rest;
  } else if (end === -1) {
    line.help ||= rest.includes('--help');
    line.trailingJson = rest.at(-1) === '--json';
    line.args = rest;
  } else {
    line.help ||= rest.slice(0, end).includes('--help');
    line.args = [...rest.slice(0, end), ...rest.slice(end + 1)];
  }
  return line;
}

function missingValue(option: string): never {
  throw new UsageError(`${option} needs a value`);
}
