export { compareBytes, sortBytes } from './byte-order.ts';
export { makeRecord, sortedProps, sameRecord, recordToJson, type RecordData, type DbRecord } from './record.ts';
export { planOps, type Op, type OpsPlan, type RecordSource, type Write } from './ops.ts';
export { diffRecords, type ChangeEntry, type ChangeDiff, type HistoryFilter } from './changes.ts';
export { filterHistory } from './history-filter.ts';
export type { Backend, BackendCapabilities, ApplyOptions, ApplyResult } from './backend.ts';
export { MemoryBackend } from './memory-backend.ts';
export { ConfigDb, checkKey, checkProps } from './config-db.ts';
export { parseFlat, decodeRaw, encodeRaw, flatHeader, serializeFlat, type EncodeOptions } from './flat-format.ts';
export { decodeFlatBytes } from './flat-text.ts';
export { scanFlat, rawAt, spliceFlat, type FlatScan } from './flat-lines.ts';
export { checkDbName, checkDbPath, isDbName } from './db-name.ts';
export { describeSystemError } from './system-error.ts';
export {
  readDefaultsTrees,
  defaultsOps,
  initializeDefaultDatabases,
  type DbDefaults,
  type InitializeOptions,
} from './defaults.ts';
export { importFlat, exportFlat } from './flat-io.ts';
export {
  STANDARD_HOST_LABELS,
  isDomainName,
  standardHostNames,
  standardHostRecord,
  systemNameOf,
  createStandardHosts,
  removeStandardHosts,
  type RemovedHosts,
} from './standard-hosts.ts';
export { ensurePrimaryDomain, PRIMARY_MARK, type PrimaryDomainOptions } from './primary-domain.ts';
