// How times, durations and commits read on the page.

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 8) : '—';
}

/** `12:04:31` in the browser's time zone. */
export function clock(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '—' : at.toLocaleTimeString(undefined, { hour12: false });
}

/** `2024-05-01 12:04:31` in the browser's time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock(iso)}`;
}

/** `850 ms`, `12.4 s`, `3 min 05 s`; `running` while there is no end. */
export function duration(start: string, end: string | null): string {
  if (!end) return 'running';
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** A failed deployment's message: the error, then the last log lines of the failed container. */
export function splitError(message: string): { error: string; logs: string | null } {
  const newline = message.indexOf('\n');
  if (newline < 0) return { error: message, logs: null };
  return { error: message.slice(0, newline), logs: message.slice(newline + 1).trimEnd() || null };
}
