// Anchors and aliases for fast-yaml.ts, with a budget against alias bombs ("billion laughs"): an
// alias is the same JS value as its anchor, but interpolation later copies it at every use, so the
// nodes reachable through aliases are counted. Past the budget the fast reader gives up and the
// `yaml` library (maxAliasCount) decides, which rejects real bombs.
import { FastYamlBail } from './fast-yaml-scalars.ts';

/** Nodes aliases may reach in one document: far above what a 200-service file with `<<: *x` uses. */
const ALIAS_NODE_BUDGET = 200_000;

export interface AnchorTable {
  values: Map<string, unknown>;
  budget: number;
  sizes: WeakMap<object, number>;
}

export function newAnchorTable(): AnchorTable {
  return { values: new Map(), budget: ALIAS_NODE_BUDGET, sizes: new WeakMap() };
}

export function defineAnchor(table: AnchorTable, name: string, value: unknown): void {
  table.values.set(name, value);
}

/** The anchored value; bails when the name is unknown or the budget is spent. */
export function useAlias(table: AnchorTable, name: string): unknown {
  if (!table.values.has(name)) throw new FastYamlBail();
  const value = table.values.get(name);
  table.budget -= sizeOf(value, table.sizes);
  if (table.budget < 0) throw new FastYamlBail();
  return value;
}

function sizeOf(value: unknown, sizes: WeakMap<object, number>): number {
  if (value === null || typeof value !== 'object') return 1;
  const cached = sizes.get(value);
  if (cached !== undefined) return cached;
  let size = 1;
  for (const item of Array.isArray(value) ? value : Object.values(value)) size += sizeOf(item, sizes);
  sizes.set(value, size);
  return size;
}
