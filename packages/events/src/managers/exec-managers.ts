import type { RecordData } from '@smeconf/db';
import { runCommand } from '../run-command.ts';
import type { ControlResult, ServiceManager } from './manager.ts';
import { unitName } from './unit-name.ts';

/** A manager that turns each verb into one command line, for the service's system name (unitName). */
class ExecManager implements ServiceManager {
  readonly name: string;
  readonly #argv: (service: string, verb: string) => string[];
  readonly #env: NodeJS.ProcessEnv;

  constructor(name: string, argv: (service: string, verb: string) => string[], env: NodeJS.ProcessEnv) {
    this.name = name;
    this.#argv = argv;
    this.#env = env;
  }

  unit(service: string, record: RecordData): string {
    return unitName(service, record);
  }

  describe(service: string, verb: string, record: RecordData): string {
    return this.#argv(unitName(service, record), verb).join(' ');
  }

  async control(service: string, verb: string, record: RecordData): Promise<ControlResult> {
    const result = await runCommand(this.#argv(unitName(service, record), verb), this.#env);
    return { ok: result.status === 0, output: result.output };
  }
}

/** systemctl, with SME's mapping of its own verbs (docs/events.md). */
export function systemdManager(env: NodeJS.ProcessEnv): ServiceManager {
  return new ExecManager(
    'systemd',
    (service, verb) => {
      const unit = service.endsWith('.service') ? service : `${service}.service`;
      if (['adjust', 'graceful', 'sighup', 'sigusr1', 'sigusr2'].includes(verb)) return ['systemctl', 'reload-or-restart', unit];
      if (verb === 'sigterm') return ['systemctl', 'restart', unit];
      if (verb.startsWith('sig')) return ['systemctl', 'kill', `--signal=SIG${verb.slice(3).toUpperCase()}`, unit];
      return ['systemctl', verb, unit];
    },
    env,
  );
}

/** SysV init scripts through service(8). */
export function sysvManager(env: NodeJS.ProcessEnv): ServiceManager {
  return new ExecManager('sysv', (service, verb) => ['service', service, ['adjust', 'graceful', 'sighup'].includes(verb) ? 'reload' : verb], env);
}

const RUNIT_VERBS: Readonly<Record<string, string>> = {
  reload: 'hup',
  adjust: 'hup',
  graceful: 'hup',
  sighup: 'hup',
  sigusr1: '1',
  sigusr2: '2',
  sigterm: 'term',
};

/** runit's sv(8). */
export function runitManager(env: NodeJS.ProcessEnv): ServiceManager {
  return new ExecManager('runit', (service, verb) => ['sv', RUNIT_VERBS[verb] ?? verb, service], env);
}
