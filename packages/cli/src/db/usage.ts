/** Verb synopses in SME's order and words (docs/compatibility.md), then ours. */
export const SYNOPSES = {
  keys: 'keys',
  print: 'print [key]',
  show: 'show [key]',
  get: 'get key',
  set: 'set key type [prop1 val1] [prop2 val2] ...',
  setdefault: 'setdefault key type [prop1 val1] [prop2 val2] ...',
  delete: 'delete key',
  printtype: 'printtype [key]',
  gettype: 'gettype key',
  settype: 'settype key type',
  printprop: 'printprop key [prop1] [prop2] [prop3] ...',
  getprop: 'getprop key prop',
  setprop: 'setprop key prop1 val1 [prop2 val2] [prop3 val3] ...',
  delprop: 'delprop key prop1 [prop2] [prop3] ...',
  history: 'history [key [prop]]',
} as const;

export type Verb = keyof typeof SYNOPSES;

export function isVerb(name: string): name is Verb {
  return Object.hasOwn(SYNOPSES, name);
}

/**
 * How usage lines start: `db dbfile` (SME's words), or `config` alone, as
 * `config` names no database.
 */
export function usagePrefix(program: string, fixedDb: string | undefined): string {
  return fixedDb === undefined ? `${program} dbfile` : program;
}

export function verbUsage(prefix: string, verb: Verb): string {
  return `${prefix} ${SYNOPSES[verb]}\n`;
}

export function generalUsage(prefix: string): string {
  const lines = Object.values(SYNOPSES).map((synopsis) => `    ${prefix} ${synopsis}\n`);
  return `usage:\n${lines.join('')}`;
}

export function help(prefix: string, fixedDb: string | undefined): string {
  return (
    generalUsage(prefix) +
    `\noptions (before ${fixedDb === undefined ? 'dbfile or ' : ''}the verb; --help anywhere before --):\n` +
    '    --root DIR   relocate every SME path under DIR (default: $SMECONF_ROOT or /)\n' +
    '    --json       JSON output for the read verbs (also accepted as their last argument)\n' +
    '    --layer L    write to layer L (fleet, group:NAME or host; default host) when SMECONF_LAYERS is set\n' +
    '    --help       this text; after a verb, that verb\'s usage\n' +
    '    --version    the version of smeconf\n' +
    '    --           the arguments after it are taken as they are (a value "--help")\n' +
    '\nenvironment: SMECONF_ROOT, SMECONF_BACKEND (sqlite|flatfile|etcd), DBPATH,\n    SMECONF_ETCD_ENDPOINTS, SMECONF_ETCD_PREFIX, SMECONF_ETCD_CA|CERT|KEY (docs/fleet.md)\n' +
    'layers: SMECONF_LAYERS (lowest first, e.g. fleet,group:web,host), SMECONF_HOST (docs/fleet.md)\n'
  );
}
