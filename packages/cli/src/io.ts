/** Where a command writes: injected so that tests can call main() directly. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Show stacks after error lines (SMECONF_DEBUG=1). */
  readonly debug?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  debug: process.env['SMECONF_DEBUG'] === '1',
};
