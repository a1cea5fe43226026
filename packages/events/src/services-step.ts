import type { ConfigDb } from '@smeconf/db';
import { isToolError } from '@smeconf/errors';
import type { ServiceEntry } from './discover.ts';
import type { ManagerRegistry } from './managers/index.ts';
import { NO_ADJUST_EVENTS, serviceVerbs } from './service-verbs.ts';
import type { StepOutcome } from './expand-step.ts';

export interface ServicesStepOptions {
  readonly configuration: ConfigDb;
  readonly managers: ManagerRegistry;
  readonly dryRun: boolean;
}

/** The step's outcome, with one line saying what it did: `apache2: start, graceful (systemd)`. */
export interface ServicesOutcome extends StepOutcome {
  readonly note: string;
}

/**
 * SME's adjust-services: each listed service once, with the verbs its
 * record's status allows, through its manager. A service without a record
 * is reported and skipped; a failing verb fails the step, the others still run.
 * Each verb is one output line `SERVICE: VERB (MANAGER: what it runs)`,
 * followed by the manager's output.
 */
export async function servicesStep(event: string, entries: readonly ServiceEntry[], options: ServicesStepOptions): Promise<ServicesOutcome> {
  if (NO_ADJUST_EVENTS.has(event)) return { ok: true, output: `services are not adjusted for ${event}\n`, note: 'services not adjusted' };
  let ok = true;
  let output = '';
  const notes: string[] = [];
  for (const { service, verbs } of entries) {
    const record = await options.configuration.get(service);
    if (record === undefined) {
      output += `No conf db entry for service ${service}\n`;
      notes.push(`${service}: no configuration record`);
      continue;
    }
    const noted = notes.length;
    try {
      const manager = options.managers.for(record);
      const adjusted = serviceVerbs(verbs, record);
      notes.push(`${manager.unit(service, record)}: ${adjusted.join(', ')} (${manager.name})`);
      for (const verb of adjusted) {
        output += `${service}: ${verb} (${manager.name}: ${manager.describe(service, verb, record)})\n`;
        if (options.dryRun) continue;
        const result = await manager.control(service, verb, record);
        output += result.output;
        if (!result.ok) {
          ok = false;
          output += `${service}: ${verb} failed [E_SVC_CONTROL]\n`;
        }
      }
    } catch (error) {
      ok = false;
      notes.splice(noted, 1, `${service}: not adjusted`);
      output += `${service}: ${(error as Error).message} [${isToolError(error) ? error.code : 'E_SVC_CONTROL'}]\n`;
    }
  }
  return { ok, output, note: notes.join('; ') };
}
