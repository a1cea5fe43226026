import { ConfigDb } from '@smeconf/db';
import { commandEnv } from '../command-env.ts';
import type { Layout } from '../layout.ts';
import { dehydratedArgs, dehydratedConfigFile, requireConfig, runDehydrated } from '../letsencrypt/dehydrated.ts';
import { ensureFallbackCertificate } from '../letsencrypt/fallback-certificate.ts';
import { warnOnExpiry } from '../letsencrypt/expiry-warning.ts';
import { prepareDomains } from '../letsencrypt/prepare-domains.ts';
import type { CommandContext, SmeconfCommand } from './command.ts';
import { layoutOf, withBackend } from './command-layout.ts';

const ACTIONS = ['renew', 'register', 'self-signed'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * `smeconf letsencrypt renew [--force]` (issue or renew: dehydrated -c, for
 * the daily cron job), `register` (the account, once) and `self-signed
 * [--force]` (the certificate HTTPS uses until one is deployed; run by
 * console-save and the other events that expand httpd.conf). docs/letsencrypt.md.
 */
export const LETSENCRYPT_COMMAND: SmeconfCommand = {
  command: 'letsencrypt <action>',
  describe: "Let's Encrypt for this root: renew (dehydrated -c), register, self-signed",
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ACTIONS, describe: 'renew: issue or renew the certificate; register: the account; self-signed: the fallback certificate' })
      .option('force', { type: 'boolean', default: false, describe: 'renew: even if not due (dehydrated -x); self-signed: make a new one' }),
  task: (args, context) => async () => {
    const layout = layoutOf(args, context);
    const action = args['action'] as Action;
    const force = args['force'] === true;
    return action === 'self-signed' ? selfSigned(layout, context, force) : dehydrated(layout, context, action, force);
  },
};

function withConfiguration<T>(layout: Layout, context: CommandContext, fn: (open: (db: string) => ConfigDb) => Promise<T>): Promise<T> {
  return withBackend(layout, (line) => context.io.err(`smeconf: ${line}\n`), (backend) => fn((name) => new ConfigDb(backend, name)));
}

async function dehydrated(layout: Layout, context: CommandContext, action: 'renew' | 'register', force: boolean): Promise<number> {
  const warn = (line: string) => context.io.err(`smeconf: ${line}\n`);
  const configFile = dehydratedConfigFile(layout.root);
  const args = await withBackend(layout, warn, async (backend) => {
    const checked = dehydratedArgs(await new ConfigDb(backend, 'configuration').get('letsencrypt'), configFile, { action, force });
    requireConfig(configFile); // before the preflight, which would be in vain
    if (action === 'renew') await prepareDomains(backend, layout, { env: context.env, stockDir: context.stockDir, warn });
    return checked;
  });
  const status = await runDehydrated(args, configFile, { env: commandEnv(layout, context.env, context.stockDir), out: context.io.out, err: context.io.err });
  if (action === 'renew') await withBackend(layout, warn, (backend) => warnOnExpiry(backend, layout, status, warn));
  return status;
}

async function selfSigned(layout: Layout, context: CommandContext, force: boolean): Promise<number> {
  const env = commandEnv(layout, context.env, context.stockDir);
  const result = await withConfiguration(layout, context, (open) => ensureFallbackCertificate(open, { root: layout.root, env, now: new Date(), force }));
  if (result?.made !== undefined) {
    const count = `${result.names.length} name${result.names.length === 1 ? '' : 's'}`;
    context.io.out(`made the self-signed certificate ${result.files.crt} (${count}, RSA ${result.keySize}; ${result.made})\n`);
  }
  return 0;
}
