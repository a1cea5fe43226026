export { FlatFileBackend, writeFlatFile, type FlatFileOptions } from './flatfile-backend.ts';
