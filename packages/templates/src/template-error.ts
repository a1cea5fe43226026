import { ToolError } from '@smeconf/errors';
import type { ErrorCode, ToolErrorOptions } from '@smeconf/errors';

/** One problem in one fragment, located as `fragment-path:line:col`. */
export interface FragmentProblem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function formatProblem(p: FragmentProblem): string {
  return `${p.path}:${p.line}:${p.column}: ${p.message}`;
}

/** Errors of templates; a failed render carries every fragment problem. */
export class TemplateError extends ToolError {
  readonly problems: readonly FragmentProblem[];

  constructor(code: ErrorCode, message: string, options: ToolErrorOptions & { problems?: readonly FragmentProblem[] } = {}) {
    super(code, message, options);
    this.problems = options.problems ?? [];
  }
}
