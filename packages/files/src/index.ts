export { stageFile, commitFile, discardFile, writeFileAtomic, type StageOptions } from './atomic-write.ts';
export { acquireLock, type HeldLock } from './lock.ts';
export { inspectPath, regularFileStats, type Existing } from './inspect.ts';
export { removeStaleTemps } from './stale-temps.ts';
export { TEMP_NAME, createTemp, openExclusive, tempPathFor } from './temp-file.ts';
