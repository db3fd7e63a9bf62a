// Column kinds every entity schema uses: explicit, portable types (no SQLite-only types), so
// PostgreSQL works by configuration.

export const id = { type: 'varchar', length: 36, primary: true } as const;
export const serial = { type: 'integer', primary: true, generated: 'increment' } as const;
export const text = (nullable = false) => ({ type: 'text', nullable }) as const;
export const name = (nullable = false) => ({ type: 'varchar', length: 255, nullable }) as const;
export const time = (nullable = false) => ({ type: 'varchar', length: 40, nullable }) as const;
export const json = (nullable = false) => ({ type: 'simple-json', nullable }) as const;
