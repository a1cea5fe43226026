/** Where a command writes: injected so that tests can call main() directly. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
