import type { RecordData } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import { CommandManager } from './command-manager.ts';
import type { CommandManagerOptions } from './command-manager.ts';
import { runitManager, systemdManager, sysvManager } from './exec-managers.ts';
import type { ServiceManager } from './manager.ts';
import { unitName } from './unit-name.ts';

export type { ServiceManager, ControlResult } from './manager.ts';
export { CommandManager, type CommandManagerOptions } from './command-manager.ts';

export const MANAGER_NAMES = ['systemd', 'sysv', 'runit', 'command', 'none'] as const;
export type ManagerName = (typeof MANAGER_NAMES)[number];

/** For scratch roots and containers: says what it would do, touches nothing. */
const unmanaged: ServiceManager = {
  name: 'none',
  unit: unitName,
  describe: () => 'not managed',
  control: async (service, verb, record) => ({ ok: true, output: `not managed: ${verb} ${unitName(service, record)}\n` }),
};

/** Picks each service's manager: its record's `ServiceManager` prop, else the default. */
export class ManagerRegistry {
  readonly #managers: Record<ManagerName, ServiceManager>;
  readonly #fallback: ManagerName;

  constructor(fallback: ManagerName, options: CommandManagerOptions) {
    this.#fallback = fallback;
    this.#managers = {
      systemd: systemdManager(options.env),
      sysv: sysvManager(options.env),
      runit: runitManager(options.env),
      command: new CommandManager(options),
      none: unmanaged,
    };
  }

  for(record: RecordData): ServiceManager {
    const name = record.props.get('ServiceManager') ?? this.#fallback;
    if (!(MANAGER_NAMES as readonly string[]).includes(name)) {
      throw new ToolError('E_SVC_CONTROL', `unknown ServiceManager ${JSON.stringify(name)} (${MANAGER_NAMES.join(', ')})`);
    }
    return this.#managers[name as ManagerName];
  }
}
