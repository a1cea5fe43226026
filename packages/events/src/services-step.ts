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

/**
 * SME's adjust-services: each listed service once, with the verbs its
 * record's status allows, through its manager. A service without a record
 * is reported and skipped; a failing verb fails the step, the others still run.
 */
export async function servicesStep(event: string, entries: readonly ServiceEntry[], options: ServicesStepOptions): Promise<StepOutcome> {
  if (NO_ADJUST_EVENTS.has(event)) return { ok: true, output: `services are not adjusted for ${event}\n` };
  let ok = true;
  let output = '';
  for (const { service, verbs } of entries) {
    const record = await options.configuration.get(service);
    if (record === undefined) {
      output += `No conf db entry for service ${service}\n`;
      continue;
    }
    try {
      const manager = options.managers.for(record);
      for (const verb of serviceVerbs(verbs, record)) {
        if (options.dryRun) {
          output += `${service}: ${verb} (${manager.name}: ${manager.describe(service, verb, record)})\n`;
          continue;
        }
        output += `adjusting ${service} (${verb})\n`;
        const result = await manager.control(service, verb, record);
        output += result.output;
        if (!result.ok) {
          ok = false;
          output += `${service}: ${verb} failed [E_SVC_CONTROL]\n`;
        }
      }
    } catch (error) {
      ok = false;
      output += `${service}: ${(error as Error).message} [${isToolError(error) ? error.code : 'E_SVC_CONTROL'}]\n`;
    }
  }
  return { ok, output };
}
