/**
 * Compares two strings by the byte order of their UTF-8 encodings, which is
 * what SME's Perl `sort` and SQLite's BINARY collation do. JavaScript's `<`
 * compares UTF-16 code units, which differs only where a surrogate pair meets
 * a code unit in U+E000..U+FFFF; remapping those two ranges fixes that.
 */
export function compareBytes(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

export function sortBytes(values: Iterable<string>): string[] {
  return [...values].sort(compareBytes);
}
