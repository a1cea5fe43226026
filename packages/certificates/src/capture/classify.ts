import { numberedCode } from '../codes.ts';
import { oneLine } from '../records.ts';

/**
 * What dehydrated and the CA said, as a catalogue code (docs/certificates.md,
 * "What each attempt records"): pure functions over the texts dehydrated
 * 0.7 hands its hook — the exit_hook message, invalid_challenge's result
 * (dehydrated's `jsonsh` lines, `["error","type"]<TAB>"urn:…"`) and
 * request_failure's ACME problem document (RFC 8555 §6.7). The detail keeps
 * the CA's problem type and text, on one line.
 */
export interface Classification {
  readonly code: string;
  readonly detail: string;
  /** The name the failure is about, when the texts say (the challenge URL's host, a problem's identifier). */
  readonly name?: string;
}

/** An ACME problem document, the fields used here. */
export interface Problem {
  readonly type: string;
  readonly detail: string;
  readonly identifier?: string;
}

/** A CA answer with an error the catalogue has no code for: the detail says the HTTP status and problem type. */
export const REQUEST_FAILED = 'E_CA_REQUEST_FAILED';
/** dehydrated stopped on an error of its own (a lock file, a missing directory): its message is the detail. */
export const CLIENT_FAILED = 'E_CA_CLIENT_FAILED';

const ACME_ERROR_PREFIX = /^urn:(?:ietf:params:acme|acme):error:/;

const BY_TYPE: Readonly<Record<string, string>> = {
  rateLimited: 'E_CA_RATE_LIMITED',
  userActionRequired: 'E_CA_TERMS_NOT_ACCEPTED',
  agreementRequired: 'E_CA_TERMS_NOT_ACCEPTED',
  invalidContact: 'E_CA_ACCOUNT_REFUSED',
  unsupportedContact: 'E_CA_ACCOUNT_REFUSED',
  accountDoesNotExist: 'E_CA_ACCOUNT_REFUSED',
};

/** Problem types about fetching the challenge: their detail text says what went wrong. */
const CHALLENGE_TYPES = new Set(['connection', 'unauthorized', 'incorrectResponse', 'dns', 'tls']);

/**
 * The challenge fetch's outcome in a CA's detail text (pebble's and Let's
 * Encrypt's wordings), most specific first; undefined when it says none.
 */
function challengeCode(detail: string): string | undefined {
  const status = /\breturned (\d{3})\b/.exec(detail) ?? /\bInvalid response from \S+: (\d{3})\b/.exec(detail);
  if (status !== null) return numberedCode('E_ACME_HTTP01_STATUS', Number(status[1]));
  if (/redirect/i.test(detail)) return 'E_ACME_HTTP01_REDIRECTED';
  if (/could not resolve URL|no such host|NXDOMAIN|No valid IP addresses found/i.test(detail)) return 'E_DNS_NXDOMAIN';
  if (/error occurred while resolving|DNS problem|SERVFAIL/i.test(detail)) return /time(?:d)? ?out|deadline exceeded/i.test(detail) ? 'E_DNS_TIMEOUT' : 'E_DNS_SERVFAIL';
  if (/connection refused|connection reset|no route to host|network is unreachable|time(?:d)? ?out|deadline exceeded/i.test(detail)) return 'E_ACME_HTTP01_UNREACHABLE';
  return undefined;
}

/** A problem document's code: the account, terms and rate-limit types by type; the challenge types by their detail first. */
export function classifyProblem(problem: Problem): Classification {
  const kind = problem.type.replace(ACME_ERROR_PREFIX, '');
  const byDetail = CHALLENGE_TYPES.has(kind) ? challengeCode(problem.detail) : undefined;
  const code =
    BY_TYPE[kind] ??
    byDetail ??
    (kind === 'connection' ? 'E_ACME_HTTP01_UNREACHABLE' : kind === 'dns' ? 'E_DNS_SERVFAIL' : kind === 'unauthorized' || kind === 'incorrectResponse' ? 'E_CA_UNAUTHORIZED' : REQUEST_FAILED);
  const name = problem.identifier ?? challengeHost(problem.detail);
  return { code, detail: oneLine(`${problem.type}: ${problem.detail}`), ...(name !== undefined && { name }) };
}

/** The host of an http://HOST[:PORT]/.well-known/acme-challenge/ URL in a text, lower case. */
function challengeHost(text: string): string | undefined {
  return /https?:\/\/([^/:\s"\\]+)(?::\d+)?\/\.well-known\/acme-challenge\//i.exec(text)?.[1]?.toLowerCase();
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

/** An object's property, when the value is an object. */
function field(value: unknown, key: string | number): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
}

/** A parsed problem document (RFC 8555: type, detail, identifier or one subproblem's); undefined when it is not one. */
export function parseProblem(value: unknown): Problem | undefined {
  const type = field(value, 'type');
  if (typeof type !== 'string') return undefined;
  const subproblems = field(value, 'subproblems');
  const identifiers = (Array.isArray(subproblems) ? subproblems : []).map((sub) => field(field(sub, 'identifier'), 'value')).filter((id) => typeof id === 'string');
  const identifier = field(field(value, 'identifier'), 'value') ?? (identifiers.length === 1 ? identifiers[0] : undefined);
  return { type, detail: asText(field(value, 'detail')), ...(typeof identifier === 'string' && { identifier: identifier.toLowerCase() }) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * dehydrated's `jsonsh` output (one leaf a line: a JSON path, a tab, a JSON
 * value; containers too) back into an object. Plain JSON is taken as is.
 */
export function parseJsonsh(text: string): unknown {
  const json = parseJson(text.trim());
  if (typeof json === 'object' && json !== null) return json;
  const root: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    const path = tab < 0 ? undefined : parseJson(line.slice(0, tab));
    if (!Array.isArray(path) || path.length === 0) continue;
    let node: Record<string | number, unknown> = root;
    for (const [index, key] of path.entries()) {
      if (typeof key !== 'string' && typeof key !== 'number') break;
      if (index === path.length - 1) {
        node[key] = parseJson(line.slice(tab + 1)) ?? line.slice(tab + 1);
        break;
      }
      const next = node[key];
      node = (typeof next === 'object' && next !== null ? next : (node[key] = typeof path[index + 1] === 'number' ? [] : {})) as Record<string | number, unknown>;
    }
  }
  return root;
}

/**
 * invalid_challenge's RESULT (the challenge object, as jsonsh lines): its
 * error classified, and the failed name — the validation record's hostname,
 * else the challenge URL's host in the error detail. (dehydrated 0.7.0's
 * ALTNAME argument is the loop's last name, not always the failed one.)
 */
export function classifyChallengeResult(result: string): Classification | undefined {
  const challenge = parseJsonsh(result);
  const problem = parseProblem(field(challenge, 'error'));
  if (problem === undefined) return undefined;
  const classified = classifyProblem(problem);
  const hostname = field(field(field(challenge, 'validationRecord'), 0), 'hostname');
  const name = typeof hostname === 'string' && hostname !== '' ? hostname.toLowerCase() : classified.name;
  return { code: classified.code, detail: classified.detail, ...(name !== undefined && { name }) };
}

/** request_failure STATUS BODY METHOD: the CA's problem document (or its plain body) with the HTTP status. */
export function classifyRequestFailure(status: string, body: string, method: string): Classification {
  const problem = parseProblem(parseJson(body));
  const request = `HTTP ${status} (${method})`;
  if (problem === undefined) return { code: REQUEST_FAILED, detail: oneLine(`${request}: ${body}`) };
  const classified = classifyProblem(problem);
  return { ...classified, detail: oneLine(`${request}: ${classified.detail}`) };
}

/**
 * exit_hook's message (dehydrated's `ERROR: …` line), or any of its error
 * output: curl's exit status talking to the CA, a failed challenge with its
 * result, a problem document quoted in the text; else CLIENT_FAILED.
 */
export function classifyMessage(message: string): Classification {
  const curl = /curl returned with (\d+)/.exec(message);
  if (curl !== null) return { code: numberedCode('E_CA_CURL', Number(curl[1])), detail: oneLine(message) };
  const invalid = /^\s*Challenge is invalid! \(returned: [^)]*\) \(result: ([^]*)\)\s*$/.exec(message);
  const challenge = invalid === null ? undefined : classifyChallengeResult(invalid[1]!);
  if (challenge !== undefined) return challenge;
  const unauthorized = /^\s*Challenge unauthorized: ([^]*)$/.exec(message);
  if (unauthorized !== null) return classifyProblem({ type: 'urn:ietf:params:acme:error:unauthorized', detail: unauthorized[1]!.trim() });
  const quoted = /"type"\s*:\s*"(urn:[^"]+)"/.exec(message);
  if (quoted !== null) {
    const detail = /"detail"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
    const status = /\(Status (\d{3})\)/.exec(message)?.[1];
    const classified = classifyProblem({ type: quoted[1]!, detail: detail === undefined ? '' : asText(parseJson(`"${detail}"`) ?? detail) });
    return status === undefined ? classified : { ...classified, detail: oneLine(`HTTP ${status}: ${classified.detail}`) };
  }
  const status = /\(Status (\d{3})\)/.exec(message)?.[1];
  if (status !== undefined) return { code: REQUEST_FAILED, detail: oneLine(message) };
  return { code: CLIENT_FAILED, detail: oneLine(message) };
}
