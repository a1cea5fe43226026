import type { Fragment } from './resolve.ts';
import type { FragmentProblem } from './template-error.ts';
import { lineColumn } from './locate.ts';

/** Where a Perl block starts (Text::Template reports a block by its `{`), and what gave it away. */
export interface PerlBlock {
  readonly line: number;
  readonly column: number;
  /** The Perl found in the block, e.g. `$OUT .=`, `my $hdb`, `$modSSL{'crt'}`. */
  readonly evidence: string;
  readonly evidenceLine: number;
}

/**
 * Syntax that is Perl and nothing else smeconf fragments hold (Apache,
 * shell, Handlebars, JSON, PHP, nginx): each is looked for inside a
 * `{ … }` block only. The earliest match in a block is its evidence.
 */
const PERL_SIGNS: readonly RegExp[] = [
  /(?<=^|[;{}])[ \t]*(\$OUT\s*\.?=)(?!=)/gm, // $OUT = …, $OUT .= … (Text::Template's output)
  /\b(?:my|our|local)\s*(?:\(\s*)?[$@%][A-Za-z_]\w*/g, // my $x, my @hosts, our %h
  /^\s*(use\s+(?:esmith::[\w:]+|[A-Z]\w*(?:::\w+)+|strict|warnings|vars|constant|lib|POSIX)\b[^;\n]*;)/gm,
  /\$[A-Za-z_]\w*\{\s*(?:'[^'\n]*'|"[^"\n]*"|[A-Za-z_][\w-]*)\s*\}/g, // $modSSL{'crt'}, $sshd{TCPPort}
  /\$\{\s*['"][\w-]+['"]\s*\}\s*\{/g, // ${'httpd-admin'}{TCPPort}
  /\$[A-Za-z_]\w*\s+(?:eq|ne|lt|gt|le|ge|cmp)\s/g, // $port eq "443"
  /\\%[A-Za-z_]\w+|\b(?:keys|values|each)\s*%[A-Za-z_]\w*/g, // \%domain, keys %h
  /\besmith::\w+/g, // esmith::ConfigDB->open
];

/** A block that is only a scalar: Text::Template's inline `{$virtualHost}`. */
const INLINE_SCALAR = /^\s*\$[A-Za-z_]\w*\s*$/;

/**
 * The first SME Text::Template Perl block of a fragment's text, or
 * undefined. Blocks are `{ … }` with nested braces, `\{` being a literal
 * brace; `{{ … }}` (Handlebars) and `${…}`, `%{…}`, `@{…}` (shell, Apache)
 * are never blocks. A block counts as Perl only when it holds syntax that
 * is Perl and nothing else (PERL_SIGNS), or is a lone scalar outside quotes.
 */
export function findPerlBlock(source: string): PerlBlock | undefined {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    if (c !== '{') continue;
    if (source[i + 1] === '{') {
      i = skipMustache(source, i);
      continue;
    }
    const end = matchingBrace(source, i);
    if (end === -1) continue; // unbalanced: not a block
    if (!/[$%@]/.test(source[i - 1] ?? '')) {
      const found = perlIn(source, i, end);
      if (found !== undefined) return found;
    }
    i = end;
  }
  return undefined;
}

function perlIn(source: string, start: number, end: number): PerlBlock | undefined {
  const body = source.slice(start + 1, end);
  let best: { at: number; text: string } | undefined;
  for (const sign of PERL_SIGNS) {
    sign.lastIndex = 0;
    const match = sign.exec(body);
    if (match === null) continue;
    const text = match[1] ?? match[0];
    const at = match.index + match[0].indexOf(text);
    if (best === undefined || at < best.at) best = { at, text };
  }
  if (best === undefined && INLINE_SCALAR.test(body) && !insideQuotes(source, start)) best = { at: -1, text: `{${body.trim()}}` };
  if (best === undefined) return undefined;
  const [line, column] = lineColumn(source, start);
  return { line, column, evidence: best.text.trim().slice(0, 40), evidenceLine: lineColumn(source, start + 1 + Math.max(best.at, 0))[0] };
}

/** Whether offset is inside a double-quoted string of its line (PHP's "Hello {$name}"). */
function insideQuotes(source: string, offset: number): boolean {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return (source.slice(lineStart, offset).match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1;
}

/** The index of the `}` closing the `{` at start (nested braces, `\{` `\}` literal), or -1. */
function matchingBrace(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The index of the last `}` of the Handlebars mustache at start (`{{!-- --}}` comments included). */
function skipMustache(source: string, start: number): number {
  const close = source.startsWith('{{!--', start) ? source.indexOf('--}}', start) : source.indexOf('}}', start);
  if (close === -1) return source.length;
  let i = close + (source.startsWith('{{!--', start) ? 4 : 2);
  while (source[i] === '}') i++;
  return i - 1;
}

/** The problem a fragment holding a Perl block is (E_TPL_PERL_FRAGMENT). */
export function perlFragmentProblem(fragment: Fragment, found: PerlBlock): FragmentProblem {
  const message =
    `an SME Perl fragment (Text::Template: ${found.evidence} on line ${found.evidenceLine}): smeconf fragments are Handlebars, ` +
    `nothing of it is run; port it (docs/templates.md, "Porting Perl fragments") [E_TPL_PERL_FRAGMENT]`;
  return { path: fragment.path, line: found.line, column: found.column, message };
}
