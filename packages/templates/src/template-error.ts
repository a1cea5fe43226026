import { ToolError } from '@smeconf/errors';
import type { ErrorCode, ToolErrorOptions } from '@smeconf/errors';

/** One problem in one fragment, located as `fragment-path:line:col`. */
export interface FragmentProblem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** How many times the same problem was met (a sub-template fragment fails once per VirtualHost). */
  readonly count?: number;
}

/** `path:line:col: message`, with `(N times)` before a closing `[E_CODE]` when it was met more than once. */
export function formatProblem(p: FragmentProblem): string {
  const times = (p.count ?? 1) > 1 ? ` (${p.count} times)` : '';
  const code = / \[E_[A-Z0-9_]+\]$/.exec(p.message)?.[0] ?? '';
  return `${p.path}:${p.line}:${p.column}: ${p.message.slice(0, p.message.length - code.length)}${times}${code}`;
}

/** Each distinct problem once, in the order first met, with how often it was met. */
export function mergeProblems(problems: readonly FragmentProblem[]): FragmentProblem[] {
  const byText = new Map<string, { problem: FragmentProblem; count: number }>();
  for (const problem of problems) {
    const key = formatProblem({ ...problem, count: 1 });
    const known = byText.get(key);
    if (known === undefined) byText.set(key, { problem, count: problem.count ?? 1 });
    else known.count += problem.count ?? 1;
  }
  return [...byText.values()].map(({ problem, count }) => ({ ...problem, count }));
}

/** Errors of templates; a failed render carries every fragment problem. */
export class TemplateError extends ToolError {
  readonly problems: readonly FragmentProblem[];

  constructor(code: ErrorCode, message: string, options: ToolErrorOptions & { problems?: readonly FragmentProblem[] } = {}) {
    super(code, message, options);
    this.problems = options.problems ?? [];
  }
}
