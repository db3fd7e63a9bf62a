// Output for people (aligned columns) or for scripts (--json, the API's own objects).

export interface Output {
  write(text: string): unknown;
}

export function printTable(out: Output, headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell))));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  out.write(`${line(headers)}\n`);
  for (const row of cells) out.write(`${line(row)}\n`);
}

export function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `2026-12-04T10:00:00.000Z` → `2026-12-04 10:00:00`. */
export function shortTime(iso: string | null | undefined): string | null {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : null;
}
