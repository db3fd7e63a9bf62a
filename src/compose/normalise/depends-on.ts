// `depends_on:` list (`[db]` = service_started, required) or map with condition/required/restart.
import type { DependencyModel } from '../model.ts';
import { asBool, asList, asMapping, asString, checkKeys, child, fail, isMapping, type FieldContext } from './values.ts';

const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

export function normaliseDependsOn(value: unknown, ctx: FieldContext): Record<string, DependencyModel> {
  const result: Record<string, DependencyModel> = {};
  if (!isMapping(value)) {
    asList(value, ctx).forEach((item, index) => {
      result[asString(item, child(ctx, index))] = { condition: 'service_started', required: true, restart: false };
    });
    return result;
  }
  for (const [name, spec] of Object.entries(value)) result[name] = readDependency(spec, child(ctx, name));
  return result;
}

function readDependency(value: unknown, ctx: FieldContext): DependencyModel {
  const spec = asMapping(value, ctx);
  checkKeys(spec, new Set(['condition', 'required', 'restart']), ctx);
  const condition = spec.condition === undefined ? 'service_started' : asString(spec.condition, child(ctx, 'condition'));
  if (!CONDITIONS.has(condition)) fail(ctx, `${ctx.field}: unknown condition "${condition}"`);
  return {
    condition: condition as DependencyModel['condition'],
    required: spec.required === undefined ? true : asBool(spec.required, child(ctx, 'required')),
    restart: spec.restart === undefined ? false : asBool(spec.restart, child(ctx, 'restart')),
  };
}
