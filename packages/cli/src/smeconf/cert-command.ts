import type { CertAction } from '../cert/action.ts';
import { CHECK_ACTION } from '../cert/check-action.ts';
import { HOOK_ACTION } from '../cert/hook-action.ts';
import { STATUS_ACTION } from '../cert/status-action.ts';
import type { SmeconfCommand } from './command.ts';

/** The actions, each in its own module under src/cert/ (docs/certificates.md). */
const ACTIONS: Readonly<Record<string, CertAction>> = {
  status: STATUS_ACTION,
  check: CHECK_ACTION,
  hook: HOOK_ACTION,
};

/** `smeconf cert <action> [NAME…]`: the HTTPS certificate, seen from this server. */
export const CERT_COMMAND: SmeconfCommand = {
  command: 'cert <action> [names..]',
  describe: 'the HTTPS certificate: ' + Object.entries(ACTIONS).map(([name, action]) => `${name} (${action.describe})`).join('; '),
  builder: (y) =>
    y
      // hook: dehydrated's arguments after `--`, verbatim (never read as numbers or options)
      .parserConfiguration({ 'populate--': true, 'parse-positional-numbers': false })
      .positional('action', { type: 'string', choices: Object.keys(ACTIONS) })
      .positional('names', { type: 'string', array: true, describe: 'the names to check (default: every enabled name)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
      .option('expiry-days', { type: 'number', describe: 'status: warn when fewer days are left (default: letsencrypt ExpiryWarningDays, else 14)' })
      .option('timeout', { type: 'number', describe: 'check: bound the whole preflight, in seconds (default 10)' }),
  task: (args, context) => {
    // a copy now: once the command's handler returns, yargs folds `--` back into `_`
    const parsed: Record<string, unknown> = { ...args, '--': [...((args['--'] as unknown[] | undefined) ?? [])] };
    return () => ACTIONS[parsed['action'] as string]!.run(parsed, context);
  },
};
