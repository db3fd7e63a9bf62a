// Byte sizes as docker/go-units RAMInBytes reads them (compose-go uses it for mem_limit, shm_size,
// tmpfs size, ...): binary multipliers, case-insensitive suffix, optional `i`/`b`; a plain
// number is bytes (docs/compose.md (b), Bytes).

const MULTIPLIERS: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const BYTES_PATTERN = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;

/**
 * Bytes of a size string or number; undefined when the text is not a size. A YAML integer is taken
 * as is, negative too (compose-go `UnitBytes`), so `memswap_limit: -1` means unlimited swap.
 */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const match = BYTES_PATTERN.exec(value.trim());
  if (match === null) return undefined;
  const multiplier = MULTIPLIERS[(match[2] ?? '').toLowerCase()];
  return Math.trunc(Number(match[1]) * multiplier);
}
