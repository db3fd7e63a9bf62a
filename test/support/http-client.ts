// How the tests talk to an Accelero API (in-process or a daemon): JSON in, JSON out, the
// answer's text kept when it is not JSON.

export interface JsonAnswer<T = any> { status: number; body: T; headers: Headers }

export type JsonRequest = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<JsonAnswer<T>>;

/** Requests against `url` with `apiKey` unless the headers give another one. */
export function jsonClient(url: string, apiKey: string): JsonRequest {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: parseJson(await response.text()), headers: response.headers };
  };
}

export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What tests need of an API under test, whether in-process or a daemon. */
export interface ApiClient {
  url: string;
  apiKey: string;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}
