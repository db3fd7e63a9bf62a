// Scalars for fast-yaml.ts: null and booleans as the core schema (and go-yaml v3) read them,
// numbers as go-yaml v3 reads them (yaml-numbers.ts); everything else a string. Unusual forms
// (.inf, huge integers, multi-line quotes, rare escapes) make the fast reader give up instead.
import { goYamlNumber } from './yaml-numbers.ts';

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
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function resolvePlain(text: string): unknown {
  if (NULLS.has(text)) return null;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  const first = text.charCodeAt(0);
  // `.5` and `.inf`: only the core float rules apply (go-yaml calls ParseFloat on the text).
  if (first === 46) {
    if (/^\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(text)) throw new FastYamlBail();
    return FLOAT.test(text) ? Number(text) : text;
  }
  // Only text that starts with a digit or sign can be a number; skip the regexes for the rest.
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45)) return text;
  if (/^[-+]\.(?:inf|Inf|INF)$/.test(text)) throw new FastYamlBail();
  const number = goYamlNumber(text);
  if (number === undefined) return text;
  if (Number.isInteger(number) && !Number.isSafeInteger(number)) throw new FastYamlBail();
  return number;
}

/** YAML 1.2 `ns-plain-first`: a plain scalar cannot start with an indicator character. */
export function startsWithIndicator(text: string): boolean {
  const first = text[0];
  if (',[]{}#&*!|>\'"%@`'.includes(first)) return true;
  return (first === '-' || first === '?' || first === ':') && (text.length === 1 || text[1] === ' ' || text[1] === ',');
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
