export { agentStep, runAgent, type AgentOptions, type AgentStatus, type LoopOptions } from './agent.ts';
export { syncLayers, type AgentLayer, type ChangedRecord, type SyncResult } from './sync.ts';
export { readState, writeState, type AgentState } from './state-file.ts';
export { eventsFor, parseEventRule, type EventCall, type EventRule } from './event-rules.ts';
