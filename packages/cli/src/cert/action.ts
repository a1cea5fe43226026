import type { CommandContext } from '../smeconf/command.ts';

/** One action of `smeconf cert <action>`: its help line and its work (the parsed arguments, the context). */
export interface CertAction {
  readonly describe: string;
  run(args: Record<string, unknown>, context: CommandContext): Promise<number>;
}
