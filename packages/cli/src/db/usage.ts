/** Verb synopses in SME's order and words (sme-reference.md §B), then ours. */
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

export function verbUsage(program: string, verb: Verb): string {
  return `${program} dbfile ${SYNOPSES[verb]}\n`;
}

export function generalUsage(program: string): string {
  const lines = Object.values(SYNOPSES).map((synopsis) => `    ${program} dbfile ${synopsis}\n`);
  return `usage:\n${lines.join('')}`;
}

export function help(program: string): string {
  return (
    generalUsage(program) +
    '\noptions (before dbfile):\n' +
    '    --root DIR   relocate every SME path under DIR (default: $SMECONF_ROOT or /)\n' +
    '    --json       JSON output for the read verbs (also accepted as their last argument)\n' +
    '    --help       this text\n' +
    '\nenvironment: SMECONF_ROOT, SMECONF_BACKEND (sqlite|flatfile), DBPATH\n'
  );
}
