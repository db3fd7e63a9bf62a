import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';

// Faults the test git server can play per repository, to exercise the git layer against
// servers that hang, crawl or are gone. The server reaches git normally; only what it sends
// back is held, slowed or cut, so the client sees a real (but misbehaving) transfer.

/** `fetch`: only upload-pack requests that ask for objects; `any`: every request (ls-remote too). */
export type FaultPhase = 'any' | 'fetch';

export type GitHttpFault =
  /** Accept the request and never answer (the connection stays open). */
  | { kind: 'hang'; phase?: FaultPhase }
  /** Send the headers and the first `afterBytes` bytes of the answer, then nothing more. */
  | { kind: 'stall'; afterBytes: number; phase?: FaultPhase }
  /** Send the answer at `bytesPerSecond`. */
  | { kind: 'trickle'; bytesPerSecond: number; phase?: FaultPhase };

/** Where the git server writes an answer's body: straight through, or through a fault. */
export interface BodyWriter {
  write(chunk: Buffer): void;
  end(): void;
}

export interface FaultState {
  fault: GitHttpFault;
  /** Requests the fault has caught so far. */
  hits: number;
  /** Answers held open by `hang` or `stall`; destroyed when the fault is cleared. */
  held: Set<ServerResponse>;
}

export function newFaultState(fault: GitHttpFault): FaultState {
  return { fault, hits: 0, held: new Set() };
}

export function faultApplies(state: FaultState | undefined, isFetch: boolean): state is FaultState {
  if (!state) return false;
  return (state.fault.phase ?? 'any') === 'any' || isFetch;
}

/** Keeps the answer open until the fault is cleared or the server stops. */
export function hold(state: FaultState, res: ServerResponse): void {
  state.held.add(res);
  res.on('close', () => state.held.delete(res));
}

/** Ends the held answers abruptly: a client waiting on them sees the connection drop. */
export function releaseHeld(state: FaultState): void {
  for (const res of state.held) res.destroy();
  state.held.clear();
}

export function directWriter(res: ServerResponse): BodyWriter {
  return { write: (chunk) => void res.write(chunk), end: () => void res.end() };
}

export function faultyWriter(state: FaultState, res: ServerResponse): BodyWriter {
  const { fault } = state;
  if (fault.kind === 'stall') return stallingWriter(state, res, fault.afterBytes);
  if (fault.kind === 'trickle') return tricklingWriter(res, fault.bytesPerSecond);
  return directWriter(res);
}

function stallingWriter(state: FaultState, res: ServerResponse, afterBytes: number): BodyWriter {
  let left = afterBytes;
  hold(state, res);
  return {
    write(chunk) {
      if (left <= 0) return;
      res.write(chunk.subarray(0, left));
      left -= chunk.length;
    },
    end() {}, // never: the client keeps waiting for the rest
  };
}

const TICK_MS = 100;

/** Sends `bytesPerSecond / 10` bytes every 100 ms: steady, never bursty. */
function tricklingWriter(res: ServerResponse, bytesPerSecond: number): BodyWriter {
  const queue: Buffer[] = [];
  let ended = false;
  const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  const timer = setInterval(() => {
    let budget = perTick;
    while (budget > 0 && queue.length > 0) {
      const head = queue[0]!;
      const part = head.subarray(0, budget);
      res.write(part);
      budget -= part.length;
      if (part.length === head.length) queue.shift();
      else queue[0] = head.subarray(part.length);
    }
    if (ended && queue.length === 0) finish();
  }, TICK_MS);
  const finish = () => {
    clearInterval(timer);
    res.end();
  };
  res.on('close', () => clearInterval(timer));
  return {
    write: (chunk) => void queue.push(chunk),
    end: () => void (ended = true),
  };
}

/** A URL on a loopback port that was just free and is closed again: connections are refused. */
export async function closedPortUrl(name: string): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => probe.close((error) => (error ? reject(error) : resolve())));
  return `http://127.0.0.1:${port}/${encodeURIComponent(name)}.git`;
}
