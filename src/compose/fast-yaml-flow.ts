// Single-line flow collections (`[a, "b"]`, `{k: v}`) for fast-yaml.ts. A flow collection that
// spans lines, holds tags or anchors, or has a `? ` key makes the reader give up.
import { useAlias, type AnchorTable } from './fast-yaml-anchors.ts';
import {
  FastYamlBail, readDoubleQuoted, readSingleQuoted, resolvePlain, skipSpaces, startsWithIndicator, type ScalarRead,
} from './fast-yaml-scalars.ts';

type Anchors = AnchorTable;

function bail(): never {
  throw new FastYamlBail();
}

export function readFlow(text: string, start: number, anchors: Anchors): ScalarRead {
  return text[start] === '[' ? readFlowSequence(text, start, anchors) : readFlowMapping(text, start, anchors);
}

/** After an entry: `,` (optionally followed by the closer) or the closer itself. */
function afterEntry(text: string, index: number, closer: string): { end: number; closed: boolean } {
  let position = skipSpaces(text, index);
  if (text[position] === closer) return { end: position + 1, closed: true };
  if (text[position] !== ',') bail();
  position = skipSpaces(text, position + 1);
  if (text[position] === closer) return { end: position + 1, closed: true };
  return { end: position, closed: false };
}

function readFlowSequence(text: string, start: number, anchors: Anchors): ScalarRead {
  const items: unknown[] = [];
  let index = skipSpaces(text, start + 1);
  if (text[index] === ']') return { value: items, end: index + 1 };
  for (;;) {
    const item = readFlowNode(text, index, anchors);
    items.push(item.value);
    const next = afterEntry(text, item.end, ']');
    if (next.closed) return { value: items, end: next.end };
    index = next.end;
  }
}

function readFlowMapping(text: string, start: number, anchors: Anchors): ScalarRead {
  const mapping: Record<string, unknown> = {};
  let index = skipSpaces(text, start + 1);
  if (text[index] === '}') return { value: mapping, end: index + 1 };
  for (;;) {
    const key = readFlowKey(text, index);
    if (key.value in mapping || key.value === '<<' || key.value === '__proto__') bail();
    let position = skipSpaces(text, key.end);
    let value: ScalarRead = { value: null, end: position };
    if (text[position] === ':') {
      position = skipSpaces(text, position + 1);
      value = text[position] === ',' || text[position] === '}' ? { value: null, end: position } : readFlowNode(text, position, anchors);
    }
    mapping[key.value] = value.value;
    const next = afterEntry(text, value.end, '}');
    if (next.closed) return { value: mapping, end: next.end };
    index = next.end;
  }
}

function readFlowKey(text: string, index: number): { value: string; end: number } {
  const first = text[index];
  if (first === '"' || first === "'") {
    const read = first === '"' ? readDoubleQuoted(text, index) : readSingleQuoted(text, index);
    return { value: read.value as string, end: read.end };
  }
  if (startsWithIndicator(text.slice(index, index + 2))) bail();
  const end = scanFlowPlain(text, index);
  const key = resolvePlain(text.slice(index, end).trimEnd());
  if (typeof key !== 'string' || key === '') bail();
  return { value: key, end };
}

function readFlowNode(text: string, index: number, anchors: Anchors): ScalarRead {
  const first = text[index];
  if (first === '[' || first === '{') return readFlow(text, index, anchors);
  if (first === '"') return readDoubleQuoted(text, index);
  if (first === "'") return readSingleQuoted(text, index);
  if (first === '*') {
    const end = scanFlowPlain(text, index);
    const name = text.slice(index + 1, end).trimEnd();
    return { value: useAlias(anchors, name), end };
  }
  if (first === undefined || startsWithIndicator(text.slice(index, index + 2))) bail();
  const end = scanFlowPlain(text, index);
  if (text[end] === ':') bail(); // `[a: b]` is a single-pair mapping: leave it to `yaml`
  return { value: resolvePlain(text.slice(index, end).trimEnd()), end };
}

/** A plain scalar in flow context ends at `,`, `]`, `}`, a `:` before a space or indicator, or ` #`. */
function scanFlowPlain(text: string, start: number): number {
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === ',' || char === ']' || char === '}') return index;
    if (char === '[' || char === '{') bail();
    if (char === ':' && (index + 1 >= text.length || ' ,]}'.includes(text[index + 1]))) return index;
    if (char === '#' && text[index - 1] === ' ') bail();
  }
  bail(); // the collection continues on the next line
}
