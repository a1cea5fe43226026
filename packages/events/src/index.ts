export { loadEvent, listEvents, type EventDefinition, type Handler, type ServiceEntry } from './discover.ts';
export { serviceVerbs, NO_ADJUST_EVENTS } from './service-verbs.ts';
export { expandStep, type ExpandStepOptions, type StepOutcome } from './expand-step.ts';
export { servicesStep, type ServicesStepOptions, type ServicesOutcome } from './services-step.ts';
export { runEvent, type EventRuntime, type EventResult, type HandlerResult, type HandlerStatus, type Progress, type RunOptions } from './run-event.ts';
export { type EventContext } from './module-handler.ts';
export { ensureDirectory } from './ensure-directory.ts';
export { ManagerRegistry, CommandManager, MANAGER_NAMES, type ManagerName, type ServiceManager, type ControlResult } from './managers/index.ts';
export { runCommand, type CommandResult } from './run-command.ts';
