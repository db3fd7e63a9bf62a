// The CLI's client of a running daemon: ACCELERO_URL (default http://localhost:8000) and
// ACCELERO_API_KEY. Failures are typed so each command can exit with a code scripts trust:
// 3 when the API refused the request (its message and code), 4 when no daemon answered.

export class CliUsageError extends Error {
  readonly exitCode = 2;
}

export class ApiRefusedError extends Error {
  readonly exitCode = 3;
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${message} (HTTP ${status}${code ? `, ${code}` : ''})`);
  }
}

export class ApiUnreachableError extends Error {
  readonly exitCode = 4;
}

export interface ApiClient {
  readonly url: string;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  text(path: string): Promise<string>;
}

export function apiClientFrom(env: Record<string, string | undefined>, fetchImpl: typeof fetch = fetch): ApiClient {
  const url = (env.ACCELERO_URL || 'http://localhost:8000').replace(/\/+$/, '');
  const key = env.ACCELERO_API_KEY;
  if (!key) throw new CliUsageError('ACCELERO_API_KEY is not set: export the API key of the daemon at ' + url);
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchImpl(`${url}${path}`, {
        method,
        headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiUnreachableError(`no Accelero answers at ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}); set ACCELERO_URL`);
    }
    if (response.ok) return response;
    const text = await response.text();
    let parsed: { error?: string; code?: string } = {};
    try { parsed = JSON.parse(text); } catch { parsed = { error: text.slice(0, 500) }; }
    throw new ApiRefusedError(response.status, parsed.code ?? '', parsed.error ?? response.statusText);
  };
  return {
    url,
    json: async <T>(method: string, path: string, body?: unknown) => {
      const response = await send(method, path, body);
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
    text: async (path) => (await send('GET', path)).text(),
  };
}

export const encode = encodeURIComponent;
