import { MemoryBackend } from '../src/index.ts';
import { describeBackendConformance } from '../src/testing/index.ts';

describeBackendConformance('memory', async () => ({ backend: new MemoryBackend(), cleanup: async () => {} }), { history: true });
