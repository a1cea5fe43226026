import { TemplateError } from './template-error.ts';

/** Named output filters for the FILTER metadata key (SME runs Perl code there; we name filters). */
export const FILTERS: Readonly<Record<string, (text: string) => string>> = {
  /** Drops lines that are empty or hold only blanks. */
  removeBlankLines: (text) => text.replace(/^[ \t]*\r?\n/gm, ''),
  /** Collapses runs of blank lines into one. */
  squeezeBlankLines: (text) => text.replace(/(\r?\n)([ \t]*\r?\n)+/g, '$1$1'),
  /** Removes blanks at the end of every line. */
  trimTrailingBlanks: (text) => text.replace(/[ \t]+$/gm, ''),
};

export function applyFilters(text: string, names: readonly string[], where: string): string {
  let out = text;
  for (const name of names) {
    const filter = FILTERS[name];
    if (filter === undefined) {
      throw new TemplateError('E_TPL_METADATA', `${where}: unknown FILTER ${name} (known: ${Object.keys(FILTERS).join(', ')})`);
    }
    out = filter(out);
  }
  return out;
}
