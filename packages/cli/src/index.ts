export { dbMain, type DbMainOptions } from './db/main.ts';
export { smeconfMain, type SmeconfMainOptions } from './smeconf/main.ts';
export { expandMain, type ExpandMainOptions } from './expand/main.ts';
export { eventMain, type EventMainOptions } from './event/main.ts';
export { resolveLayout, templateData, SQLITE_FILE_NAME, type Layout, type LayoutInputs, type BackendName } from './layout.ts';
export { openDatabase, openBackend } from './open-db.ts';
export { ExitCodes, exitCodeFor } from './exit-codes.ts';
export { processIo, type Io, type Env } from './io.ts';
