export { EtcdBackend, type EtcdOptions } from './etcd-backend.ts';
export type { EtcdTls } from './etcd-client.ts';
