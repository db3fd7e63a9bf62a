// Durations in configuration and stack settings: `30s`, `5m`, `1h`, `1h30m`, `250ms`, or a
// plain number of seconds. Anything else is an error for the caller to name.

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) return undefined;
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * unitMs[unit!]!, 0));
}
