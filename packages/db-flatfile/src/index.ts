export { FlatFileBackend, writeFlatFile, type FlatFileOptions } from './flatfile-backend.ts';
export { acquireLock, type HeldLock } from './lock.ts';
