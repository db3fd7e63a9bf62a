// Plain scalars that look like numbers, resolved the way go-yaml v3 (compose-go's YAML library)
// resolves them, not the way YAML 1.2 core does: underscores are dropped, and Go's
// strconv.ParseInt(s, 0, 64) reads 0x/0o/0b prefixes and a leading zero as octal. So `PIN: 0123`
// is the number 83 in docker compose (and then the string "83" in the environment); `mode: 0755`
// is 493. go-yaml's own comment: "Octals from the 1.1 spec, spelled as 0777, are still decoded by
// default in v3 as well for compatibility." Everything else follows the core schema.
import type { ParseOptions, DocumentOptions, SchemaOptions, ToJSOptions, Tags } from 'yaml';

const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Texts where go-yaml and the core schema can disagree (a digit or sign first, and a `_`, a base prefix or a leading 0). */
const DIFFERS_FROM_CORE = /^[-+]?[0-9](?:[0-9_]*_[0-9_]*|[xXoObB][0-9a-fA-F_]*|[0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?$/;

/** The number go-yaml v3 reads from a plain scalar that starts with a digit or sign; undefined for a string. */
export function goYamlNumber(text: string): number | undefined {
  const plain = text.includes('_') ? text.replaceAll('_', '') : text;
  const integer = GO_INT.exec(plain);
  if (integer !== null) return parseGoInt(integer[1], integer[2]);
  if (FLOAT.test(plain)) return Number(plain);
  return undefined;
}

function parseGoInt(sign: string, digits: string): number {
  const prefix = digits.slice(0, 2).toLowerCase();
  const radix = prefix === '0x' ? 16 : prefix === '0o' ? 8 : prefix === '0b' ? 2 : digits.length > 1 && digits[0] === '0' ? 8 : 10;
  const body = radix === 10 || (radix === 8 && prefix !== '0o') ? digits : digits.slice(2);
  const value = parseInt(body, radix);
  if (value === 0) return 0;
  return sign === '-' ? -value : value;
}

/** A `yaml` tag placed before the core tags so the fallback parser agrees with goYamlNumber. */
const goNumberTag = {
  identify: (value: unknown) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: DIFFERS_FROM_CORE,
  resolve: (text: string) => goYamlNumber(text) ?? text,
};

/** Options for `yaml`'s parse, shared by the loader's fallback and the tests that compare with it. */
export const COMPOSE_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {
  merge: true,
  uniqueKeys: true,
  maxAliasCount: 10000,
  customTags: (tags: Tags) => [goNumberTag, ...tags],
};
