export { SqliteBackend, type SqliteOptions } from './sqlite-backend.ts';
