export { startWatch, type WatchOptions, type WatchReport, type Watching } from './watcher.ts';
export { discoverTargets } from './targets.ts';
export { targetsOfFile, targetsOfChanges } from './affected.ts';
export { DbChanges } from './db-changes.ts';
