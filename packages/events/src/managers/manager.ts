import type { RecordData } from '@smeconf/db';

export interface ControlResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Drives services of one kind (systemd, SysV, runit, commands from the database). */
export interface ServiceManager {
  readonly name: string;
  /** The name this manager knows the service by (a unit, a script; the record's key for commands). */
  unit(service: string, record: RecordData): string;
  /** What control() would do, in words (for --dry-run). */
  describe(service: string, verb: string, record: RecordData): string;
  control(service: string, verb: string, record: RecordData): Promise<ControlResult>;
}
