import { runCommand } from './run-command.ts';

/** What a metadata CHECK said about one file. */
export interface CheckResult {
  /** The CHECK as written in the metadata, for messages. */
  readonly command: string;
  readonly ok: boolean;
  /** Its stdout and stderr. */
  readonly output: string;
}

/**
 * Runs a CHECK (a JSON argv from templates.metadata, no shell) on a file:
 * `{}` stands for the file, else the file is the last argument. The
 * environment is the caller's (the CLI's: SMECONF_ROOT, PATH with our bins).
 */
export async function runCheck(check: readonly string[], file: string, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const argv = check.includes('{}') ? check.map((arg) => (arg === '{}' ? file : arg)) : [...check, file];
  const result = await runCommand(argv, env);
  return { command: check.join(' '), ok: result.status === 0, output: result.output };
}
