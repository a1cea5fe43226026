import { CERTIFICATES_DB, OK, describeCode, recordSkipped } from '@smeconf/certificates';
import type { PreflightOutcome } from '@smeconf/certificates';
import { ConfigDb } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import { expandTargets } from '@smeconf/templates';
import { runPreflight } from '../cert/preflight-run.ts';
import { readCertificateView } from '../cert/view.ts';
import { expandOptionsFor } from '../expand/expand-options.ts';
import type { Env } from '../io.ts';
import type { Layout } from '../layout.ts';

const DOMAINS_TXT = '/etc/dehydrated/domains.txt';

export interface PrepareOptions {
  readonly env: Env;
  readonly stockDir: string;
  readonly warn: (line: string) => void;
}

/**
 * Before a renewal asks the CA: with letsencrypt SkipFailingNames enabled
 * (stock), the preflight of every enabled name; the names that fail it,
 * except the first (it names the certificate: failing, it is an error,
 * E_LE_PREFLIGHT_FAILED), are marked Skipped in the certificates db, each
 * with a warning; the others lose the mark (a fixed name comes back on its
 * own). Then domains.txt is expanded anew, so dehydrated asks for exactly
 * those names. Returns the skipped names' outcomes.
 */
export async function prepareDomains(backend: Backend, layout: Layout, options: PrepareOptions): Promise<PreflightOutcome[]> {
  const view = await readCertificateView(backend, layout.root);
  const skipping = (view.letsencrypt.get('SkipFailingNames') || 'enabled') === 'enabled';
  const failing = skipping && view.names.length > 0 ? (await runPreflight(backend, view, {})).filter((outcome) => outcome.code !== OK) : [];
  const primary = failing.find((outcome) => outcome.name === view.names[0]);
  const skipped = failing.filter((outcome) => outcome !== primary);
  await recordSkipped(new ConfigDb(backend, CERTIFICATES_DB), view.names, new Set(skipped.map((outcome) => outcome.name)));
  if (primary !== undefined) {
    throw new ToolError('E_LE_PREFLIGHT_FAILED', `${primary.name}, the certificate's first name, fails the preflight with ${primary.code} (${primary.detail}): ${describeCode(primary.code)?.fix ?? 'smeconf cert check'}; dehydrated was not run`);
  }
  for (const outcome of skipped) options.warn(`warning: ${outcome.name} is left out of this renewal (SkipFailingNames): ${outcome.code}: ${outcome.detail}`);
  const [outcome] = await expandTargets([DOMAINS_TXT], expandOptionsFor(layout, backend, options.env, options.stockDir, options.warn));
  if (outcome?.failure !== undefined) {
    for (const line of outcome.failure.details) options.warn(line);
    throw outcome.failure.error; // as expand-template reports it
  }
  return skipped;
}
