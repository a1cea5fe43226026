export { agentStep, runAgent, type AgentOptions, type AgentStatus, type LoopOptions } from './agent.ts';
export { syncLayers, type AgentLayer, type ChangedRecord, type SyncResult } from './sync.ts';
export { readState, writeState, type AgentState } from './state-file.ts';
export { eventsFor, parseEventRule, type EventCall, type EventRule } from './event-rules.ts';
export {
  ROLLOUT_LAYER,
  ROLLOUT_STATE,
  abortRollout,
  applyRollout,
  effectiveLayers,
  promoteRollout,
  readRollout,
  stopRollout,
  type ControlValues,
  type LayerStore,
  type PreviousRecord,
  type RolloutChange,
  type RolloutPhase,
  type RolloutState,
  type RolloutStores,
} from './rollout.ts';
