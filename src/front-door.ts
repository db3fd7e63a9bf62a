import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

// The HTTP listener exists from the first moment of a start, so a supervisor (Docker's
// healthcheck, systemd, a load balancer) sees a live process that says why it is not ready —
// a database on a full disk, say — instead of a crash loop. Until the daemon is ready it
// answers the probes itself and 503 `starting` to everything else; then the API takes over.

export interface FrontDoor {
  readonly server: Server;
  readonly port: number;
  /** Why the daemon is not ready yet (shown by /readyz and in 503 answers). */
  setStarting(reason: string): void;
  /** Hands every request from now on to the API. */
  serve(handler: RequestListener): void;
}

export function openFrontDoor(port: number): Promise<FrontDoor> {
  let reason = 'starting';
  let handler: RequestListener = (req, res) => answerWhileStarting(req, res, reason);
  const server = createServer((req, res) => handler(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as { port: number }).port,
        setStarting: (why) => { reason = why; },
        serve: (api) => { handler = api; },
      });
    });
  });
}

function answerWhileStarting(req: IncomingMessage, res: ServerResponse, reason: string): void {
  const path = (req.url ?? '/').split('?')[0];
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  if (path === '/health' || path === '/healthz') return send(200, { status: 'ok' });
  if (path === '/readyz') return send(503, { status: 'starting', checks: { database: reason, docker: 'not checked yet' } });
  send(503, { error: `Accelero is starting: ${reason}`, code: 'starting' });
}
