import { collectStatus } from '@smeconf/certificates';
import { ConfigDb } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { STATUS_PAGE_RECORD, listenStatusPage, readRecentEvents, statusPageSettings } from '@smeconf/status-page';
import { runPreflight } from '../cert/preflight-run.ts';
import { readCertificateView } from '../cert/view.ts';
import type { SmeconfCommand } from './command.ts';
import { layoutOf, withBackend } from './command-layout.ts';

/** How many runs of the event log the page lists. */
const RECENT_EVENTS = 10;

/**
 * `smeconf serve [--port N] [--bind ADDRESS]`: the certificate status page
 * (docs/status-page.md) until SIGINT or SIGTERM (then exit 0). Settings
 * from the `statuspage` record, read once; every request opens the
 * backend, reads (or runs the preflight, which records), and closes it.
 */
export const SERVE_COMMAND: SmeconfCommand = {
  command: 'serve',
  describe: 'serve the certificate status page (needs config setprop statuspage Token …)',
  builder: (y) =>
    y
      .option('port', { type: 'number', describe: 'listen on this port instead of statuspage TCPPort (0: any free port)' })
      .option('bind', { type: 'string', describe: 'listen on this address instead of statuspage ListenAddress' }),
  task: (args, context) => async () => {
    const layout = layoutOf(args, context);
    const warn = (line: string) => context.io.err(`smeconf serve: ${line}\n`);
    const onBackend = <T>(fn: (backend: Backend) => Promise<T>) => withBackend(layout, warn, fn);
    const record = await onBackend((backend) => new ConfigDb(backend, 'configuration').get(STATUS_PAGE_RECORD));
    const settings = statusPageSettings(record?.props, { port: args['port'] as number | undefined, bind: args['bind'] as string | undefined });
    const page = await listenStatusPage({
      ...settings,
      status: () => onBackend(async (backend) => collectStatus({ ...(await readCertificateView(backend, layout.root)), now: new Date() })),
      preflight: () => onBackend(async (backend) => void (await runPreflight(backend, await readCertificateView(backend, layout.root), {}))),
      events: () => readRecentEvents(layout.eventLogPath, RECENT_EVENTS),
      log: warn,
    });
    context.io.out(`smeconf serve: the status page is at ${page.url} (the token: HTTP Basic password or Bearer)\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await page.close();
    return 0;
  },
};
