/** The preflight as the page runs it: one at a time, at most every `intervalMs` on page loads. */
export class Recheck {
  readonly #preflight: () => Promise<void>;
  readonly #intervalMs: number;
  #running: Promise<void> | undefined;
  #lastStart: number | undefined;
  #lastError: { readonly at: Date; readonly message: string } | undefined;

  constructor(preflight: () => Promise<void>, intervalMs: number) {
    this.#preflight = preflight;
    this.#intervalMs = intervalMs;
  }

  /**
   * Is a page load due to re-run the preflight? Yes when the oldest
   * recorded check (null: a name was never checked) is older than the
   * interval, and so is this page's own last run (a failing preflight,
   * which records nothing, is not re-run on every load).
   */
  due(oldestCheck: Date | null, now: Date): boolean {
    const stale = (time: number | undefined) => time === undefined || now.getTime() - time >= this.#intervalMs;
    return stale(oldestCheck?.getTime()) && stale(this.#lastStart);
  }

  /** Runs the preflight, or joins the one running; never throws (the failure is kept for the page). */
  run(now: Date): Promise<void> {
    if (this.#running !== undefined) return this.#running;
    this.#lastStart = now.getTime();
    this.#running = this.#preflight()
      .then(
        () => {
          this.#lastError = undefined;
        },
        (error: unknown) => {
          this.#lastError = { at: now, message: describe(error) };
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** The last run's failure, until a run succeeds. */
  get lastError(): { readonly at: Date; readonly message: string } | undefined {
    return this.#lastError;
  }
}

/** One line: the message, and the error's code when it has one (a ToolError's E_ code). */
function describe(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('E_') ? `${message} [${code}]` : message;
}
