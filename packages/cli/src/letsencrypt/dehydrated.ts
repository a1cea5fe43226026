import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { RecordData } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';

/** What an admin asks of dehydrated: renew (issue or renew, `-c`) or register the account once. */
export type DehydratedAction = 'renew' | 'register';

export interface DehydratedRequest {
  readonly action: DehydratedAction;
  /** `--force`: renew even if the certificate is not due (`-x`). */
  readonly force?: boolean;
}

const TERMS = 'config setprop letsencrypt ACCEPT_TERMS yes';

/** The generated dehydrated configuration of a root: what `-f` must name, since plain `dehydrated` reads /etc/dehydrated/config. */
export function dehydratedConfigFile(root: string): string {
  return join(root, 'etc/dehydrated/config');
}

/**
 * dehydrated's arguments for the letsencrypt record: `-f CONFIG`, then `-c`
 * (`-x` when forced) or `--register`, always with `--accept-terms`, which the
 * record must allow (`ACCEPT_TERMS yes`; with it, `-c` also registers the
 * account the first time). Refused: a disabled record (E_LE_DISABLED), terms
 * not accepted (E_LE_TERMS_NOT_ACCEPTED).
 */
export function dehydratedArgs(record: RecordData | undefined, configFile: string, request: DehydratedRequest): string[] {
  const status = record?.props.get('status') ?? 'disabled';
  if (status !== 'test' && status !== 'enabled') {
    throw new ToolError('E_LE_DISABLED', `letsencrypt is ${status === 'disabled' ? 'disabled' : `not enabled (status ${JSON.stringify(status)})`}: config setprop letsencrypt status test (or enabled), then signal-event console-save`);
  }
  if (record?.props.get('ACCEPT_TERMS') !== 'yes') {
    throw new ToolError('E_LE_TERMS_NOT_ACCEPTED', `the Let's Encrypt terms of service are not accepted, so dehydrated may not register: read them at the CA, then ${TERMS}`);
  }
  const command = request.action === 'register' ? ['--register'] : ['-c'];
  return ['-f', configFile, ...command, '--accept-terms', ...(request.force === true && request.action === 'renew' ? ['-x'] : [])];
}

/** The generated config must exist (E_LE_UNAVAILABLE: run console-save first). */
export function requireConfig(configFile: string): void {
  if (!existsSync(configFile)) {
    throw new ToolError('E_LE_UNAVAILABLE', `${configFile} does not exist: run signal-event console-save first`);
  }
}

export interface RunDehydratedOptions {
  /** The environment dehydrated and its hook run with (PATH decides which dehydrated). */
  readonly env: NodeJS.ProcessEnv;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * Runs dehydrated with `args`, its output streamed as it comes, and
 * resolves with its exit status (128 + the signal number if it was killed).
 * The generated config must exist, and dehydrated be installed
 * (E_LE_UNAVAILABLE otherwise); anything it reports is its own output.
 */
export async function runDehydrated(args: readonly string[], configFile: string, options: RunDehydratedOptions): Promise<number> {
  requireConfig(configFile);
  return new Promise((resolve, reject) => {
    const child = spawn('dehydrated', args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', options.out);
    child.stderr.setEncoding('utf8').on('data', options.err);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new ToolError('E_LE_UNAVAILABLE', 'dehydrated is not installed (apt-get install dehydrated), or not on PATH', { cause: error }));
      else reject(new ToolError('E_LE_UNAVAILABLE', `dehydrated cannot be run: ${error.message}`, { cause: error }));
    });
    child.on('close', (status, signal) => resolve(status ?? 128 + (signal === null ? 1 : constants.signals[signal])));
  });
}
