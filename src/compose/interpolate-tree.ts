// Applies the template engine to every string scalar of a parsed compose document (docs/compose.md
// A.1): values at any depth, list items and `x-*` extensions; map keys are never interpolated.
// Errors are wrapped the way compose-go's loader does, naming the path, service and field.
import { InterpolationSyntaxError, RequiredVariableError } from './errors.ts';
import { interpolateTemplate, MissingVariableError, TemplateSyntaxError, type TemplateOptions } from './interpolate.ts';

type Path = readonly (string | number)[];

export interface TreeInterpolation extends TemplateOptions {
  file: string;
}

/** `node` with every string value interpolated (unchanged parts are shared, not copied). */
export function interpolateTree(node: unknown, options: TreeInterpolation): unknown {
  return walk(node, options, []);
}

/**
 * `path` is one mutable stack (copied only for an error): a compose file has thousands of values.
 * Containers are copied only when a value inside them changes; the parsed tree is not shared with
 * anyone else, and most of it holds no `$`.
 */
function walk(node: unknown, options: TreeInterpolation, path: (string | number)[]): unknown {
  if (typeof node === 'string') return node.includes('$') ? interpolateValue(node, options, path) : node;
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < node.length; index++) {
      path.push(index);
      const value = walk(node[index], options, path);
      path.pop();
      if (value !== node[index]) (copy ??= node.slice())[index] = value;
    }
    return copy ?? node;
  }
  const record = node as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    path.push(key);
    const value = walk(record[key], options, path);
    path.pop();
    if (value !== record[key]) (copy ??= { ...record })[key] = value;
  }
  return copy ?? node;
}

function interpolateValue(value: string, options: TreeInterpolation, path: Path): string {
  try {
    return interpolateTemplate(value, options);
  } catch (error) {
    throw wrapTemplateError(error, value, options.file, [...path]);
  }
}

/** `services.web.environment.[]`, the path notation of compose-go's messages. */
export function formatPath(path: Path): string {
  return path.map((part) => (typeof part === 'number' ? '[]' : part)).join('.');
}

function wrapTemplateError(error: unknown, value: string, file: string, path: Path): unknown {
  const place = {
    file,
    service: path[0] === 'services' && typeof path[1] === 'string' ? path[1] : undefined,
    field: path[0] === 'services' ? path.slice(2).filter((part) => typeof part === 'string').join('.') : formatPath(path),
  };
  if (error instanceof TemplateSyntaxError) {
    return new InterpolationSyntaxError(
      `invalid interpolation format for ${formatPath(path)} in ${file}: "${value}". ` +
        'You may need to escape any $ with another $.',
      place,
    );
  }
  if (error instanceof MissingVariableError) {
    return new RequiredVariableError(
      `error while interpolating ${formatPath(path)} in ${file}: ${error.message}`,
      place,
    );
  }
  return error;
}
