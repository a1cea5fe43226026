import { join } from 'node:path';
import { MemoryBackend } from '@smeconf/db';
import { describeBackendConformance, makeTempDir } from '@smeconf/db/testing';
import { SqliteBackend } from '@smeconf/db-sqlite';
import { LayeredBackend } from '../src/index.ts';

// with its lower layers empty, a layered view writing to its host layer is a plain backend
describeBackendConformance('layered (memory: fleet, group:web, host)', async () => {
  const layers = ['fleet', 'group:web', 'host'].map((name) => ({ name, backend: new MemoryBackend() }));
  return { backend: new LayeredBackend({ layers }), cleanup: async () => {} };
}, { history: true });

describeBackendConformance('layered (sqlite: fleet, host)', async () => {
  const dir = makeTempDir();
  const layers = ['fleet', 'host'].map((name) => ({ name, backend: new SqliteBackend({ file: join(dir.path, `${name}.sqlite`) }) }));
  return { backend: new LayeredBackend({ layers }), cleanup: async () => dir.remove() };
}, { history: true });
