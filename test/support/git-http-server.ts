import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  directWriter,
  faultApplies,
  faultyWriter,
  hold,
  newFaultState,
  releaseHeld,
  type BodyWriter,
  type FaultState,
  type GitHttpFault,
} from './git-http-faults.ts';

// A smart-HTTP git server on loopback for tests: `git http-backend` (CGI) behind node:http,
// with optional basic auth, request counters (to assert how often a client fetched) and
// injectable failures (to exercise retries) and per-repository faults: hang, stall, trickle
// (git-http-faults.ts).

export interface GitHttpCounts {
  /** Every request received, including refused ones. */
  requests: number;
  /** Requests answered 401 (missing or wrong credentials). */
  unauthorized: number;
  /** `GET …/info/refs?service=git-upload-pack`: one per client connection (ls-remote or fetch). */
  infoRefs: number;
  /** Every `POST …/git-upload-pack`. */
  uploadPackPosts: number;
  /** Protocol v2 `command=ls-refs` requests (git ls-remote). */
  lsRefs: number;
  /** Upload-pack requests that ask for objects (v2 `command=fetch`, or any v0 POST): fetches. */
  fetches: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** The Authorization header of every request received, in order ('' when none). */
  authorizations: string[];
  /** Serves `dir` (bare or not) at `<baseUrl>/<name>.git` and returns that URL. */
  addRepo(name: string, dir: string): string;
  counts: GitHttpCounts;
  resetCounts(): void;
  /** Answer the next `n` requests with `status` (default 503) before reaching git. */
  failNext(n: number, status?: number): void;
  /** Plays `fault` for repository `name` from now on; `undefined` clears it and drops held answers. */
  setFault(name: string, fault: GitHttpFault | undefined): void;
  /** Requests the current fault of `name` has caught. */
  faultHits(name: string): number;
  stop(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** Address to listen on and to put in URLs (default 127.0.0.1; containers reach the bridge gateway's). */
  host?: string;
  /** When given, every request needs these basic-auth credentials. */
  auth?: { username: string; password: string };
  /** When given, every request is answered 302 to the same path on this base URL (after auth). */
  redirectTo?: string;
  repos?: Record<string, string>;
}

const zeroCounts = (): GitHttpCounts => ({ requests: 0, unauthorized: 0, infoRefs: 0, uploadPackPosts: 0, lsRefs: 0, fetches: 0 });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function authorised(req: IncomingMessage, auth: GitHttpServerOptions['auth']): boolean {
  if (!auth) return true;
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return req.headers.authorization === expected;
}

type RequestKind = 'infoRefs' | 'lsRefs' | 'fetch' | 'other';

function requestKind(req: IncomingMessage, body: Buffer): RequestKind {
  const url = req.url ?? '';
  if (req.method === 'GET' && url.includes('/info/refs') && url.includes('service=git-upload-pack')) return 'infoRefs';
  if (req.method !== 'POST' || !url.endsWith('/git-upload-pack')) return 'other';
  let text = body;
  try {
    if (req.headers['content-encoding'] === 'gzip') text = gunzipSync(body);
  } catch {
    // count it as a fetch below
  }
  return text.toString('latin1').includes('command=ls-refs') ? 'lsRefs' : 'fetch';
}

function countUploadPack(counts: GitHttpCounts, kind: RequestKind): void {
  if (kind === 'infoRefs') counts.infoRefs += 1;
  if (kind === 'lsRefs' || kind === 'fetch') counts.uploadPackPosts += 1;
  if (kind === 'lsRefs') counts.lsRefs += 1;
  if (kind === 'fetch') counts.fetches += 1;
}

/** Runs http-backend for one request and streams its CGI answer back. */
function runBackend(req: IncomingMessage, res: ServerResponse, repoDir: string, rest: string, body: Buffer, out: BodyWriter): void {
  const [pathInfo, query = ''] = rest.split('?');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: dirname(repoDir),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${basename(repoDir)}${pathInfo}`,
    REQUEST_METHOD: req.method,
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: String(body.length),
    HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
    GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
    REMOTE_USER: 'test',
    REMOTE_ADDR: '127.0.0.1',
  };
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  cgi.stdin.on('error', () => {}); // http-backend may exit before reading a body it does not need
  cgi.stdin.end(body);
  let head = Buffer.alloc(0);
  let headersSent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) return void out.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersSent = true;
    writeCgiHeaders(res, head.subarray(0, end).toString('latin1'));
    out.write(head.subarray(end + 4));
  });
  cgi.on('close', () => {
    if (!headersSent) res.writeHead(502);
    out.end();
  });
}

function writeCgiHeaders(res: ServerResponse, block: string): void {
  let status = 200;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else res.setHeader(name, value);
  }
  res.writeHead(status);
}

interface ServerState {
  authorizations: string[];
  repos: Map<string, string>;
  counts: GitHttpCounts;
  failures: { left: number; status: number };
  faults: Map<string, FaultState>;
}

/** Injected failure, then auth, then the repository, then git itself. */
async function handle(state: ServerState, options: GitHttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.counts.requests += 1;
  state.authorizations.push(req.headers.authorization ?? '');
  const body = await readBody(req);
  if (state.failures.left > 0) {
    state.failures.left -= 1;
    return void res.writeHead(state.failures.status).end('injected failure\n');
  }
  if (!authorised(req, options.auth)) {
    state.counts.unauthorized += 1;
    return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="accelero-test"' }).end();
  }
  if (options.redirectTo) return void res.writeHead(302, { Location: `${options.redirectTo}${req.url ?? '/'}` }).end();
  const match = /^\/([^/]+)\.git(\/.*)$/.exec(req.url ?? '');
  const name = match ? decodeURIComponent(match[1]) : '';
  const repoDir = state.repos.get(name);
  if (!match || !repoDir) return void res.writeHead(404).end('no such repository\n');
  const kind = requestKind(req, body);
  countUploadPack(state.counts, kind);
  const fault = state.faults.get(name);
  if (!faultApplies(fault, kind === 'fetch')) return runBackend(req, res, repoDir, match[2], body, directWriter(res));
  fault.hits += 1;
  if (fault.fault.kind === 'hang') return hold(fault, res);
  runBackend(req, res, repoDir, match[2], body, faultyWriter(fault, res));
}

export async function startGitHttpServer(options: GitHttpServerOptions = {}): Promise<GitHttpServer> {
  const state: ServerState = {
    authorizations: [],
    repos: new Map(Object.entries(options.repos ?? {})),
    counts: zeroCounts(),
    failures: { left: 0, status: 503 },
    faults: new Map(),
  };
  const server = createServer((req, res) => {
    handle(state, options, req, res).catch(() => res.destroy());
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    authorizations: state.authorizations,
    addRepo(name, dir) {
      state.repos.set(name, dir);
      return `${baseUrl}/${encodeURIComponent(name)}.git`;
    },
    get counts() {
      return state.counts;
    },
    resetCounts() {
      state.counts = zeroCounts();
    },
    failNext(n, status = 503) {
      state.failures = { left: n, status };
    },
    setFault(name, fault) {
      const previous = state.faults.get(name);
      if (previous) releaseHeld(previous);
      if (fault) state.faults.set(name, newFaultState(fault));
      else state.faults.delete(name);
    },
    faultHits(name) {
      return state.faults.get(name)?.hits ?? 0;
    },
    stop() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
