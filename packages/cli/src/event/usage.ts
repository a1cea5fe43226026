/** The short usage, after a usage error (stderr). */
export const USAGE = 'usage: signal-event [--dry-run] [--json] [--root DIR] EVENT [ARGS...]\n       signal-event --list | --help | --version\n';

/** `signal-event --help` (stdout). */
export const HELP = `${USAGE}
Runs the SME event EVENT: its handlers in name order, the expansion of the
files it lists (templates2expand, as S05generic_template_expand) and the
adjustment of the services it lists (services2adjust, as S90adjust-services).
Every handler runs even after one fails.

  --dry-run    run nothing that has effects: list the handlers, show the diff
               of every file and the verb each service would get (stdout)
  --json       progress and the result as JSON lines on stdout
  --list       list the events
  --root DIR   the root of every SME path (default: SMECONF_ROOT, else /)
  --help, -h   this text
  --version    the version

Output: as on SME, nothing on stdout. On stderr, when it is a terminal, a
line per handler and a summary; otherwise nothing unless the event fails
(then the failed handlers with their output, and the summary).
Exit status: 0 every handler succeeded, 1 one failed, 2 no such event or a
usage error.
Environment: SMECONF_ROOT, SMECONF_BACKEND (sqlite, flatfile, etcd: docs/fleet.md),
SMECONF_SERVICE_MANAGER (systemd, sysv, runit, command, none: control no
service), SMECONF_DEBUG=1 (stacks). Events, handlers, services and the
event log: docs/events.md.
`;
