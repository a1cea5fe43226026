import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { DbError } from '@smeconf/errors';

export interface EtcdTls {
  /** PEM files: the cluster's CA, and this client's certificate and key. */
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

export interface EtcdClientOptions {
  /** Client URLs of the members, e.g. http://10.0.0.1:2379; tried in order, the last one that answered first. */
  readonly endpoints: readonly string[];
  readonly tls?: EtcdTls | undefined;
  /**
   * How long one attempt on one member may take. etcd itself gives up on a
   * request after 7 s without quorum, and a call sent to a leader being
   * replaced waits as long; a shorter deadline moves on to the next member.
   */
  readonly attemptTimeoutMs?: number | undefined;
  /** How long a call may take over all its attempts before it fails. */
  readonly timeoutMs?: number | undefined;
}

/** What one member said about one attempt: no connection, or an answer that was not a result. */
type Failure = { readonly endpoint: string; readonly answered: boolean; readonly why: string };

/** An error etcd answered with that no other member would answer differently (bad request, compacted). */
export class EtcdAnswerError extends Error {
  readonly grpcCode: number;

  constructor(grpcCode: number, message: string) {
    super(message);
    this.grpcCode = grpcCode;
  }
}

const GRPC_OUT_OF_RANGE = 11;

/**
 * etcd's v3 JSON gateway (`POST /v3/kv/range` etc. on the client port) over
 * node:http: no dependency and nothing heavy to load for a `config getprop`.
 * Failover and deadlines are ours: each call goes to the member that last
 * answered, and on a refused connection, a deadline or an "unavailable" answer
 * moves on to the next one until the call's time is spent.
 */
export class EtcdClient {
  readonly #endpoints: readonly URL[];
  readonly #attemptTimeoutMs: number;
  readonly #timeoutMs: number;
  readonly #agents = new Map<string, http.Agent>();
  readonly #tls: EtcdTls | undefined;
  #current = 0;

  constructor(options: EtcdClientOptions) {
    if (options.endpoints.length === 0) throw new DbError('E_DB_UNREACHABLE', 'no etcd endpoints given (SMECONF_ETCD_ENDPOINTS)');
    this.#endpoints = options.endpoints.map((endpoint) => parseEndpoint(endpoint));
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 2000;
    this.#timeoutMs = options.timeoutMs ?? 3 * this.#attemptTimeoutMs;
    this.#tls = options.tls;
  }

  /** One gateway call (path like `kv/range`), with failover; the parsed JSON answer. */
  async call<T>(path: string, body: object): Promise<T> {
    const text = JSON.stringify(body);
    const failures: Failure[] = [];
    const deadline = Date.now() + this.#timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const index = (this.#current + attempt) % this.#endpoints.length;
      const endpoint = this.#endpoints[index]!;
      const left = deadline - Date.now();
      const outcome = await this.#attempt(endpoint, path, text, Math.min(this.#attemptTimeoutMs, Math.max(left, 1)));
      if (outcome.ok) {
        this.#current = index;
        return outcome.value as T;
      }
      failures.push(outcome.failure);
      if (Date.now() >= deadline) throw this.#failed(failures);
      // a whole round refused at once: pause before the next one (a member restarting)
      if ((attempt + 1) % this.#endpoints.length === 0) await sleep(Math.min(200, Math.max(deadline - Date.now(), 0)));
    }
  }

  /**
   * A watch stream (`POST /v3/watch`): calls onResult for each result until
   * it returns true (done), the member ends the stream, or the call's time is
   * spent. One member only (the last that answered): callers re-read on failure.
   */
  async watch(body: object, onResult: (result: WatchResult) => boolean): Promise<void> {
    // find a member that answers (and keep it) before streaming from it
    await this.call('maintenance/status', {});
    const endpoint = this.#endpoints[this.#current]!;
    await new Promise<void>((resolve, reject) => {
      const request = this.#request(endpoint, 'watch', this.#timeoutMs, (response) => {
        let buffer = '';
        let done = false;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          for (let newline = buffer.indexOf('\n'); newline !== -1 && !done; newline = buffer.indexOf('\n')) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line === '') continue;
            try {
              const parsed = JSON.parse(line) as { result?: WatchResult; error?: { message?: string } };
              if (parsed.result === undefined) throw new Error(parsed.error?.message ?? line);
              done = onResult(parsed.result);
            } catch (error) {
              done = true;
              const why = error instanceof Error ? error.message : String(error);
              reject(error instanceof DbError ? error : new DbError('E_DB_IO', `etcd watch on ${endpoint.origin} failed: ${why}`, { cause: error }));
            }
            if (done) {
              request.destroy();
              resolve();
            }
          }
        });
        response.on('end', () => reject(this.#failed([{ endpoint: endpoint.origin, answered: true, why: 'the watch stream ended' }])));
        // a member killed mid-stream: the response errors and closes without 'end' (no settle: a hung call)
        response.on('error', (error) => reject(this.#failed([{ endpoint: endpoint.origin, answered: true, why: describe(error) }])));
        response.on('close', () => reject(this.#failed([{ endpoint: endpoint.origin, answered: true, why: 'the watch stream closed' }])));
      });
      request.on('timeout', () => request.destroy(new TimeoutError(this.#timeoutMs)));
      request.on('error', (error) => reject(this.#failed([{ endpoint: endpoint.origin, answered: true, why: describe(error) }])));
      request.end(JSON.stringify(body));
    });
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  /** One keep-alive agent per scheme, made on first use (the TLS files read then). */
  #agent(protocol: string): http.Agent {
    let agent = this.#agents.get(protocol);
    if (agent === undefined) {
      const tls = this.#tls;
      agent = protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ca: read(tls?.caFile), cert: read(tls?.certFile), key: read(tls?.keyFile) })
        : new http.Agent({ keepAlive: true });
      this.#agents.set(protocol, agent);
    }
    return agent;
  }

  #attempt(endpoint: URL, path: string, body: string, timeoutMs: number): Promise<{ ok: true; value: unknown } | { ok: false; failure: Failure }> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = this.#request(endpoint, path, timeoutMs, (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: { code?: number; message?: string; error?: string };
          try {
            parsed = JSON.parse(text) as typeof parsed;
          } catch {
            resolve({ ok: false, failure: { endpoint: endpoint.origin, answered: true, why: `HTTP ${response.statusCode}: ${text.slice(0, 100)}` } });
            return;
          }
          if (response.statusCode === 200) return resolve({ ok: true, value: parsed });
          const message = parsed.message ?? parsed.error ?? `HTTP ${response.statusCode}`;
          // unavailable, unknown (context deadline exceeded), deadline exceeded: another member may do better
          if (parsed.code === 14 || parsed.code === 2 || parsed.code === 4 || response.statusCode === 503) {
            resolve({ ok: false, failure: { endpoint: endpoint.origin, answered: true, why: message } });
          } else {
            reject(new EtcdAnswerError(parsed.code ?? 0, `${endpoint.origin}: ${message}`));
          }
        });
        response.on('error', (error) => resolve({ ok: false, failure: { endpoint: endpoint.origin, answered: true, why: describe(error) } }));
      });
      request.on('timeout', () => {
        // connected but no answer in time: the member is there, the cluster is not (no leader, no quorum)
        answered ||= request.socket?.connecting === false;
        request.destroy(new TimeoutError(timeoutMs));
      });
      request.on('error', (error) => {
        resolve({ ok: false, failure: { endpoint: endpoint.origin, answered, why: describe(error) } });
      });
      request.end(body);
    });
  }

  #request(endpoint: URL, path: string, timeoutMs: number, onResponse: (response: http.IncomingMessage) => void): http.ClientRequest {
    const send = endpoint.protocol === 'https:' ? https.request : http.request;
    return send(new URL(`v3/${path}`, endpoint), { method: 'POST', agent: this.#agent(endpoint.protocol), timeout: timeoutMs, headers: { 'content-type': 'application/json' } }, onResponse);
  }

  /** No member gave a result: unreachable if none even answered, else no quorum. */
  #failed(failures: readonly Failure[]): DbError {
    const last = new Map<string, Failure>();
    for (const failure of failures) last.set(failure.endpoint, failure);
    const summary = [...last.values()].map((f) => `${f.endpoint} (${f.why})`).join(', ');
    if (![...last.values()].some((failure) => failure.answered)) {
      return new DbError('E_DB_UNREACHABLE', `etcd cluster unreachable: no member answered: ${summary}`);
    }
    return new DbError('E_DB_NO_QUORUM', `etcd cluster has no quorum (or no leader): no member completed the request within ${this.#timeoutMs} ms: ${summary}`);
  }
}

export interface WatchResult {
  readonly header?: { readonly revision?: string };
  readonly created?: boolean;
  readonly canceled?: boolean;
  readonly compact_revision?: string;
  readonly events?: readonly WatchEvent[];
}

export interface KeyValue {
  readonly key: string;
  readonly value?: string;
  readonly mod_revision?: string;
}

export interface WatchEvent {
  /** Absent for a put (the gateway leaves out default values). */
  readonly type?: 'PUT' | 'DELETE';
  readonly kv: KeyValue;
  readonly prev_kv?: KeyValue;
}

/** A compacted revision as etcd answers it (range at an old revision). */
export function isCompacted(error: unknown): boolean {
  return error instanceof EtcdAnswerError && error.grpcCode === GRPC_OUT_OF_RANGE;
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

function parseEndpoint(endpoint: string): URL {
  const withScheme = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme.endsWith('/') ? withScheme : `${withScheme}/`);
  } catch {
    throw new DbError('E_DB_UNREACHABLE', `not an etcd endpoint URL: ${JSON.stringify(endpoint)} (SMECONF_ETCD_ENDPOINTS)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DbError('E_DB_UNREACHABLE', `not an http(s) etcd endpoint: ${JSON.stringify(endpoint)} (SMECONF_ETCD_ENDPOINTS)`);
  }
  return url;
}

function read(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DbError('E_DB_IO', `cannot read the etcd TLS file ${file}: ${describe(error)}`, { cause: error });
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (error instanceof TimeoutError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
