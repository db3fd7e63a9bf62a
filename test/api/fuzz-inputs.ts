// Hostile inputs for the fuzz test, derived from the OpenAPI document's JSON Schemas so that
// every route and every body field is covered. Each input is invalid by construction: a body
// is a valid base with exactly one field broken, so a 2xx answer would be a real bug.

type JsonSchema = {
  type?: string | string[]; anyOf?: JsonSchema[]; enum?: unknown[]; pattern?: string; maxLength?: number;
  properties?: Record<string, JsonSchema>; additionalProperties?: unknown;
};

export const MALFORMED_JSON = ['{', '{"name": ', '[1, 2', 'nul', '{"a": 1,}', "{'name': 'x'}", '\u0000', '{"a": "\\ud800"', '1e99999'];
export const WRONG_TOP_LEVEL = ['[]', '"just a string"', '42', 'null', 'true', '[{"name": "x"}]'];

/** Strings no pattern or enum of the API accepts: unicode look-alikes, controls, tricks. */
export const HOSTILE_STRINGS = [
  'стек', 'nаme', '☃', '💥💥', 'a\u0000b', '\u202egnp.exe', 'a b', '../../etc/passwd', '<script>alert(1)</script>',
  "x'; DROP TABLE stacks;--", '${jndi:ldap://x/a}', '\ud800', '-leading-dash', '',
];

/** Extra members as JSON text (an object literal cannot carry an own `__proto__` key). */
export const UNKNOWN_FIELDS = ['"__proto__": {"role": "admin"}', '"constructor": {"prototype": {"admin": true}}', '"x-extra": 1', '"NAME": "case"'];

function types(schema: JsonSchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(types);
  if (schema.enum) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

function first<T>(schema: JsonSchema, pick: (s: JsonSchema) => T | undefined): T | undefined {
  return pick(schema) ?? schema.anyOf?.map(pick).find((v) => v !== undefined);
}

/** Values of the wrong JSON type for a field (null only where the field is not nullable). */
export function wrongTypes(schema: JsonSchema): unknown[] {
  const allowed = types(schema).map((t) => (t === 'integer' ? 'number' : t));
  const candidates: Array<[string, unknown]> = [
    ['string', 'a string'], ['number', 12345], ['boolean', true], ['array', ['x']], ['object', { nested: 'x' }], ['null', null],
  ];
  return candidates.filter(([type]) => !allowed.includes(type) && !(type === 'number' && allowed.includes('integer'))).map(([, value]) => value);
}

/** Strings a field refuses: too long, or (for patterned / enum fields) hostile. */
export function invalidStrings(schema: JsonSchema): string[] {
  if (!types(schema).includes('string')) return [];
  const max = first(schema, (s) => s.maxLength);
  const out = max !== undefined ? ['x'.repeat(max + 1), 'y'.repeat(Math.max(max + 1, 900_000))] : [];
  const pattern = first(schema, (s) => s.pattern);
  const allowed = first(schema, (s) => s.enum);
  if (pattern || allowed) {
    const accepts = (value: string) => (pattern ? new RegExp(pattern, 'u').test(value) : allowed!.includes(value));
    out.push(...HOSTILE_STRINGS.filter((value) => !accepts(value)));
  }
  return out;
}

/** Every single-fault JSON body for a route: base + one broken field, or base + one unknown field. */
export function brokenBodies(base: Record<string, unknown>, schema: JsonSchema): string[] {
  const bodies: string[] = [];
  for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
    for (const value of [...wrongTypes(fieldSchema), ...invalidStrings(fieldSchema)]) bodies.push(JSON.stringify({ ...base, [field]: value }));
  }
  const open = JSON.stringify(base).slice(0, -1);
  for (const extra of UNKNOWN_FIELDS) bodies.push(`${open}${open.length > 1 ? ',' : ''}${extra}}`);
  return bodies;
}

/** Path segments that name no stack: traversal, encodings, injections, huge, unicode. */
export const PATH_TRICKS = [
  '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', 'a%00b', '%E0%A4%A', '%ZZ', encodeURIComponent('💥'), encodeURIComponent('стек'),
  'x'.repeat(5000), '%252e%252e', '%20', encodeURIComponent("'; DROP TABLE stacks;--"), encodeURIComponent('${jndi:ldap://x}'),
  'CON', '__proto__', 'constructor', '00000000-0000-0000-0000-000000000000',
];

export const QUERY_TRICKS = ['limit=-1', 'limit=abc', 'limit=1e9', 'limit[]=1', 'limit=1&limit=2', 'unknown=1', 'remove_containers=yes', 'remove_volumes=1', 'actor[$ne]=x'];
