// Scalars for fast-yaml.ts, resolved like the `yaml` library's core schema (YAML 1.2): null,
// booleans, decimal integers and floats; everything else a string. Unusual forms (hex, octal,
// .inf, huge integers, multi-line quotes, rare escapes) make the fast reader give up instead.
/** Thrown inside the fast reader when the input needs the full `yaml` library. */
export class FastYamlBail extends Error {}

export interface ScalarRead {
  value: unknown;
  /** Index just after the scalar. */
  end: number;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const UNSUPPORTED_NUMBER = /^(?:0o|0x|[-+]?\.(?:inf|Inf|INF)$|\.(?:nan|NaN|NAN)$)/;

export function resolvePlain(text: string): unknown {
  if (NULLS.has(text)) return null;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  const first = text.charCodeAt(0);
  // Only text that starts like a number can be one; skip the regexes for everything else.
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return text;
  if (INT.test(text)) {
    const number = Number(text);
    if (!Number.isSafeInteger(number)) throw new FastYamlBail();
    return number;
  }
  if (FLOAT.test(text)) return Number(text);
  if (UNSUPPORTED_NUMBER.test(text)) throw new FastYamlBail();
  return text;
}

/** True when the `:` at `index` separates a key from its value (followed by a space or the end). */
export function isPlainKeyEnd(text: string, index: number): boolean {
  return index + 1 >= text.length || text[index + 1] === ' ';
}

export function skipSpaces(text: string, start: number): number {
  let index = start;
  while (text[index] === ' ') index++;
  return index;
}

/** Nothing but spaces and an optional comment from `start` on. */
export function trailingIsEmpty(text: string, start: number): boolean {
  const index = skipSpaces(text, start);
  return index >= text.length || (text[index] === '#' && index > start);
}

export function readSingleQuoted(text: string, start: number): ScalarRead {
  let value = '';
  let chunkStart = start + 1;
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] !== "'") continue;
    value += text.slice(chunkStart, index);
    if (text[index + 1] !== "'") return { value, end: index + 1 };
    value += "'"; // `''` is one quote
    index++;
    chunkStart = index + 1;
  }
  throw new FastYamlBail(); // the quote continues on the next line
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

export function readDoubleQuoted(text: string, start: number): ScalarRead {
  let value = '';
  let chunkStart = start + 1;
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '"') return { value: value + text.slice(chunkStart, index), end: index + 1 };
    if (char !== '\\') continue;
    const escape = ESCAPES[text[index + 1]];
    if (escape === undefined) throw new FastYamlBail(); // \x, \u, \U and line continuations
    value += text.slice(chunkStart, index) + escape;
    index++;
    chunkStart = index + 1;
  }
  throw new FastYamlBail();
}
