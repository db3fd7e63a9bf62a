// A fast reader for the YAML that compose files are made of: block mappings and sequences,
// single-line flow collections, plain and quoted scalars, block scalars, comments, anchors,
// aliases and `<<` merge keys. It produces exactly what `yaml` (core schema, merge: true)
// produces for those inputs, and gives up (returns undefined) on anything else — multi-line plain
// or quoted scalars, tags, complex keys, tabs in indentation, several documents — so the caller
// falls back to the `yaml` library, which also reports the errors. `yaml` takes ~150 ms on a
// 200-service file; this takes a few (bench/compose-load.ts).
import { defineAnchor, newAnchorTable, useAlias, type AnchorTable } from './fast-yaml-anchors.ts';
import { readBlockScalar } from './fast-yaml-block-scalar.ts';
import { readFlow } from './fast-yaml-flow.ts';
import {
  FastYamlBail, isPlainKeyEnd,   readDoubleQuoted, readSingleQuoted, resolvePlain, skipSpaces, startsWithIndicator,
  trailingIsEmpty,
} from './fast-yaml-scalars.ts';

export interface FastLine {
  indent: number;
  /** The line without its indentation. */
  text: string;
}

type Mapping = Record<string, unknown>;

interface Reader {
  lines: FastLine[];
  /** Index of the next line to read. */
  index: number;
  /** Whether the last line ends with a line break (block scalar chomping depends on it). */
  finalNewline: boolean;
  anchors: AnchorTable;
}

/** The parsed document, or undefined when the input is outside the subset this reader handles. */
export function fastParseYaml(text: string): unknown {
  try {
    const lines = splitLines(text);
    const finalNewline = lines.length > 0 && lines[lines.length - 1].text === '' && lines[lines.length - 1].indent === 0;
    // The empty string after the final line break is not a line.
    if (finalNewline) lines.pop();
    const reader: Reader = { lines, index: 0, finalNewline, anchors: newAnchorTable() };
    skipBlank(reader);
    if (reader.index < reader.lines.length && reader.lines[reader.index].text === '---') reader.index++;
    const value = readBlockNode(reader, 0);
    skipBlank(reader);
    if (reader.index < reader.lines.length) return undefined;
    return value;
  } catch (error) {
    if (error instanceof FastYamlBail) return undefined;
    throw error;
  }
}

function splitLines(text: string): FastLine[] {
  // Tabs separate tokens in places spaces do not; leave every file with a tab to `yaml`.
  if (text.includes('\t')) throw new FastYamlBail();
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return source.split(/\r?\n/).map((raw) => {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    return { indent, text: raw.slice(indent) };
  });
}

function isBlank(line: FastLine): boolean {
  return line.text === '' || line.text[0] === '#' || line.text.trim() === '';
}

function skipBlank(reader: Reader): void {
  while (reader.index < reader.lines.length && isBlank(reader.lines[reader.index])) reader.index++;
}

function bail(): never {
  throw new FastYamlBail();
}

/** The block node starting at the next line whose indentation is at least `minIndent`; null when none. */
function readBlockNode(reader: Reader, minIndent: number): unknown {
  skipBlank(reader);
  const line = reader.lines[reader.index];
  if (line === undefined || line.indent < minIndent) return null;
  if (isSequenceEntry(line.text)) return readSequence(reader, line.indent);
  if (line.text.startsWith('---') || line.text.startsWith('...') || line.text[0] === '%') bail();
  return readMapping(reader, line.indent);
}

function isSequenceEntry(text: string): boolean {
  return text[0] === '-' && (text.length === 1 || text[1] === ' ');
}

function readSequence(reader: Reader, indent: number): unknown[] {
  const items: unknown[] = [];
  for (;;) {
    skipBlank(reader);
    const line = reader.lines[reader.index];
    // A line at this indentation that is not an entry ends a sequence that sits at the
    // indentation of its mapping key; the caller decides whether what follows is valid.
    if (line === undefined || line.indent < indent || (line.indent === indent && !isSequenceEntry(line.text))) return items;
    if (line.indent > indent) bail();
    const content = skipSpaces(line.text, 1);
    if (content >= line.text.length || line.text[content] === '#') {
      reader.index++;
      items.push(readBlockNode(reader, indent + 1));
      continue;
    }
    // `- key: v` / `- - x`: the rest of the line is a node indented as far as its text.
    reader.lines[reader.index] = { indent: line.indent + content, text: line.text.slice(content) };
    items.push(readItem(reader, indent));
  }
}

/** A sequence item that starts on the `-` line. */
function readItem(reader: Reader, parentIndent: number): unknown {
  const line = reader.lines[reader.index];
  if (isSequenceEntry(line.text)) return readSequence(reader, line.indent);
  if (findKeyEnd(line.text) !== undefined) return readMapping(reader, line.indent);
  reader.index++;
  return readInlineValue(reader, line.text, 0, parentIndent);
}

/**
 * Where a mapping key ends on this line: the index of its `:`, or undefined when the line is
 * not a `key: value` entry. Quoted keys are read as a whole.
 */
function findKeyEnd(text: string): number | undefined {
  const first = text[0];
  if (first === '"' || first === "'") {
    const end = first === '"' ? readDoubleQuoted(text, 0).end : readSingleQuoted(text, 0).end;
    return text[end] === ':' && isPlainKeyEnd(text, end) ? end : undefined;
  }
  if (startsWithIndicator(text)) return undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === ':' && isPlainKeyEnd(text, index)) return index;
    if (char === '#' && index > 0 && text[index - 1] === ' ') return undefined;
  }
  return undefined;
}

function readKey(text: string, end: number): string {
  const first = text[0];
  if (first === '"') return readDoubleQuoted(text, 0).value as string;
  if (first === "'") return readSingleQuoted(text, 0).value as string;
  const key = resolvePlain(text.slice(0, end).trimEnd());
  if (typeof key !== 'string' || key === '__proto__') bail();
  return key;
}

function readMapping(reader: Reader, indent: number): Mapping {
  const mapping: Mapping = {};
  const explicit = new Set<string>();
  for (;;) {
    skipBlank(reader);
    const line = reader.lines[reader.index];
    if (line === undefined || line.indent < indent) return mapping;
    if (line.indent > indent) bail();
    const keyEnd = findKeyEnd(line.text);
    if (keyEnd === undefined) bail();
    const key = readKey(line.text, keyEnd);
    reader.index++;
    const value = readInlineValue(reader, line.text, keyEnd + 1, indent, true);
    if (key === '<<' && line.text[0] !== '"' && line.text[0] !== "'") {
      mergeInto(mapping, value);
      continue;
    }
    if (explicit.has(key)) bail(); // duplicate key: let `yaml` report it
    explicit.add(key);
    mapping[key] = value;
  }
}

/** `<<`: keys of the merged mapping(s) that the mapping does not have yet (yaml `merge: true`). */
function mergeInto(mapping: Mapping, source: unknown): void {
  const sources = Array.isArray(source) ? source : [source];
  for (const item of sources) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) bail();
    for (const [key, value] of Object.entries(item)) if (!(key in mapping)) mapping[key] = value;
  }
}

/**
 * The value that starts at `start` on a line already consumed: inline scalar, flow collection,
 * alias, block scalar, or (when nothing follows) the block node on the next lines.
 */
function readInlineValue(reader: Reader, text: string, start: number, indent: number, inMapping = false): unknown {
  let position = skipSpaces(text, start);
  let anchor: string | undefined;
  if (text[position] === '&') {
    const end = scanToken(text, position);
    anchor = text.slice(position + 1, end);
    position = skipSpaces(text, end);
  }
  const value = readValueAt(reader, text, position, indent, inMapping);
  if (anchor !== undefined) defineAnchor(reader.anchors, anchor, value);
  return value;
}

/** The end of an anchor or alias name; flow indicators may not appear in it. */
function scanToken(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && text[end] !== ' ') {
    if ('[]{},'.includes(text[end])) bail();
    end++;
  }
  if (end === start + 1) bail();
  return end;
}

function readValueAt(reader: Reader, text: string, position: number, indent: number, inMapping: boolean): unknown {
  if (position >= text.length || text[position] === '#') {
    const next = nextContentLine(reader);
    // A sequence may sit at the same indentation as its mapping key.
    if (inMapping && next !== undefined && next.indent === indent && isSequenceEntry(next.text)) return readSequence(reader, indent);
    return readBlockNode(reader, indent + 1);
  }
  const first = text[position];
  if (first === '*') return readAlias(reader, text, position);
  if (first === '|' || first === '>') return readBlockScalar(reader, text.slice(position), indent);
  if (first === '!' || first === '@' || first === '`' || first === '%' || first === '?') bail();
  if (first === '[' || first === '{') return finish(reader, text, readFlow(text, position, reader.anchors), indent);
  if (first === '"') return finish(reader, text, readDoubleQuoted(text, position), indent);
  if (first === "'") return finish(reader, text, readSingleQuoted(text, position), indent);
  return readPlainValue(reader, text, position, indent);
}

function nextContentLine(reader: Reader): FastLine | undefined {
  skipBlank(reader);
  return reader.lines[reader.index];
}

function readAlias(reader: Reader, text: string, position: number): unknown {
  const end = scanToken(text, position);
  if (!trailingIsEmpty(text, end)) bail();
  return useAlias(reader.anchors, text.slice(position + 1, end));
}

/** After a complete inline value only a comment may follow, and the next line must not continue it. */
function finish(reader: Reader, text: string, read: { value: unknown; end: number }, indent: number): unknown {
  if (!trailingIsEmpty(text, read.end)) bail();
  checkNoContinuation(reader, indent);
  return read.value;
}

function checkNoContinuation(reader: Reader, indent: number): void {
  const next = nextContentLine(reader);
  if (next !== undefined && next.indent > indent) bail();
}

function readPlainValue(reader: Reader, text: string, position: number, indent: number): unknown {
  let end = text.length;
  for (let index = position; index < text.length; index++) {
    const char = text[index];
    if (char === '#' && text[index - 1] === ' ') {
      end = index;
      break;
    }
    if (char === ':' && isPlainKeyEnd(text, index)) bail(); // `a: b: c` is an error in YAML
  }
  if (startsWithIndicator(text.slice(position, position + 2))) bail();
  checkNoContinuation(reader, indent);
  return resolvePlain(text.slice(position, end).trimEnd());
}
