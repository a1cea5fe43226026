import type { CertAction } from '../cert/action.ts';
import { STATUS_ACTION } from '../cert/status-action.ts';
import type { SmeconfCommand } from './command.ts';

/** The actions, each in its own module under src/cert/ (docs/certificates.md). */
const ACTIONS: Readonly<Record<string, CertAction>> = {
  status: STATUS_ACTION,
};

/** `smeconf cert <action> [NAME…]`: the HTTPS certificate, seen from this server. */
export const CERT_COMMAND: SmeconfCommand = {
  command: 'cert <action> [names..]',
  describe: 'the HTTPS certificate: ' + Object.entries(ACTIONS).map(([name, action]) => `${name} (${action.describe})`).join('; '),
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: Object.keys(ACTIONS) })
      .positional('names', { type: 'string', array: true, describe: 'the names to check (default: every enabled name)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
      .option('expiry-days', { type: 'number', describe: 'status: warn when fewer days are left (default: letsencrypt ExpiryWarningDays, else 14)' }),
  task: (args, context) => () => ACTIONS[args['action'] as string]!.run(args, context),
};
