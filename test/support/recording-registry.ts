import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A registry that holds no image and records the Authorization header of every request: the
// engine pulling from it shows which credentials it was given for this host. It asks for
// basic auth (401) until a request carries some, then answers 404 (no such manifest).

export interface RecordingRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  authorizations: string[];
  stop(): Promise<void>;
}

export async function startRecordingRegistry(): Promise<RecordingRegistry> {
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    const authorization = req.headers.authorization ?? '';
    authorizations.push(authorization);
    if (!authorization) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="recording"', 'Docker-Distribution-API-Version': 'registry/2.0' }).end();
    res.writeHead(req.url === '/v2/' ? 200 : 404, { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' })
      .end(req.url === '/v2/' ? '{}' : '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"no such image"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
