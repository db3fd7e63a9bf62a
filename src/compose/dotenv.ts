// The compose env-file parser (compose-go `dotenv/parser.go`), used for the project `.env` and for
// `env_file:` (docs/compose.md A.6). Values are interpolated with the compose template engine; the
// lookup order is the caller's environment first, then keys assigned earlier in the file.
import { EnvFileError } from './errors.ts';
import { interpolateTemplate, MissingVariableError, TemplateSyntaxError, type VariableLookup } from './interpolate.ts';

export interface EnvFileOptions {
  /** Shown in error messages. */
  file: string;
  /** The lookup environment (process env for `.env`; project env for `env_file`). */
  lookup: VariableLookup;
  /** Keys already assigned by earlier files of the same list (the last assignment wins). */
  assigned?: Record<string, string>;
  /** Called for `${A}` with A unset. */
  onUnset?: (name: string) => void;
}

interface Cursor {
  text: string;
  index: number;
  line: number;
}

/** Parses env-file text into its assignments, in file order. */
export function parseEnvFile(content: string, options: EnvFileOptions): Record<string, string> {
  const assigned: Record<string, string> = { ...options.assigned };
  const cursor: Cursor = { text: content.replace(/^\uFEFF/, ''), index: 0, line: 1 };
  while (skipToStatement(cursor)) {
    const { key, bare } = readKey(cursor, options.file);
    if (bare) {
      const value = options.lookup(key);
      if (value !== undefined) assigned[key] = value;
      continue;
    }
    assigned[key] = readValue(cursor, options, assigned);
  }
  return assigned;
}

/** Skips whitespace (newlines too) and `#` comment lines; false at the end of the file. */
function skipToStatement(cursor: Cursor): boolean {
  const { text } = cursor;
  while (cursor.index < text.length) {
    const char = text[cursor.index];
    if (char === '\n') cursor.line++;
    if (char === '#') {
      const newline = text.indexOf('\n', cursor.index);
      if (newline < 0) return false;
      cursor.index = newline;
      continue;
    }
    if (!/\s/.test(char)) return true;
    cursor.index++;
  }
  return false;
}

/** compose-go `isSpace`: horizontal white space only; a newline ends a key. */
function isInlineSpace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\v' || char === '\f' || char === '\r' || char === '\x85' || char === '\xa0';
}

function isKeyChar(char: string): boolean {
  return /[\p{L}\p{N}_.\-[\]]/u.test(char);
}

function skipInlineSpace(cursor: Cursor): void {
  while (cursor.index < cursor.text.length && isInlineSpace(cursor.text[cursor.index])) cursor.index++;
}

function dropExportPrefix(cursor: Cursor): void {
  if (cursor.text.startsWith('export', cursor.index) && isInlineSpace(cursor.text[cursor.index + 6] ?? '')) {
    cursor.index += 6;
    skipInlineSpace(cursor);
  }
}

/**
 * Reads up to `=`, `:` or a newline. A key ended by a newline, or by the end of the file, is a
 * bare key (take it from the environment). compose-go stores a bare key on the last line under
 * the empty key instead (A.6.9); we do not copy that bug.
 */
function readKey(cursor: Cursor, file: string): { key: string; bare: boolean } {
  dropExportPrefix(cursor);
  const { text } = cursor;
  const start = cursor.index;
  let end = start;
  while (end < text.length && !'=:\n'.includes(text[end])) {
    const char = text[end];
    if (!isInlineSpace(char) && !isKeyChar(char)) {
      const lineText = text.slice(start).split('\n')[0];
      throw envError(file, cursor.line, `unexpected character "${char}" in variable name "${lineText}"`);
    }
    end++;
  }
  const key = text.slice(start, end).replace(/[\s]+$/u, '');
  if (/[ \t]/.test(key)) throw envError(file, cursor.line, `key cannot contain a space: "${key}"`);
  const bare = end >= text.length || text[end] === '\n';
  cursor.index = bare ? end : end + 1;
  if (!bare) skipInlineSpace(cursor);
  return { key, bare };
}

function readValue(cursor: Cursor, options: EnvFileOptions, assigned: Record<string, string>): string {
  const quote = cursor.text[cursor.index];
  if (quote === "'") return readQuoted(cursor, quote, options.file);
  const raw = quote === '"' ? expandEscapes(readQuoted(cursor, quote, options.file)) : readUnquoted(cursor);
  return interpolateValue(raw, options, assigned, cursor.line);
}

/** Unquoted: to the end of the line, cut at the first ` #`, trailing white space removed. */
function readUnquoted(cursor: Cursor): string {
  const { text } = cursor;
  const newline = text.indexOf('\n', cursor.index);
  const end = newline < 0 ? text.length : newline;
  let value = text.slice(cursor.index, end);
  cursor.index = end;
  const comment = value.indexOf(' #');
  if (comment >= 0) value = value.slice(0, comment);
  return value.replace(/\s+$/u, '');
}

/**
 * A quoted value runs to the next unescaped quote and may span lines. Only `\<quote>` is
 * unescaped here; every other backslash pair is kept as written (compose-go keeps `\\` as two
 * characters, expandEscapes folds it later for double quotes only).
 */
function readQuoted(cursor: Cursor, quote: string, file: string): string {
  const { text } = cursor;
  const startLine = cursor.line;
  let value = '';
  for (let index = cursor.index + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') cursor.line++;
    if (char === '\\' && index + 1 < text.length) {
      const next = text[index + 1];
      value += next === quote ? next : char + next;
      if (next === '\n') cursor.line++;
      index++;
      continue;
    }
    if (char === quote) {
      cursor.index = index + 1;
      return value;
    }
    value += char;
  }
  const firstLine = text.slice(cursor.index).split('\n')[0];
  throw envError(file, startLine, `unterminated quoted value ${firstLine}`);
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Double-quote escapes (compose-go `expandEscapes`); unknown sequences stay as written. */
function expandEscapes(value: string): string {
  return value.replace(/\\0([0-7]{0,3})|\\(.)/g, (match, octal: string | undefined, char: string | undefined) => {
    if (octal !== undefined) return String.fromCharCode(parseInt(octal || '0', 8));
    // `\$` is a literal dollar; `$$` is how the template engine spells that.
    if (char === '$') return '$$';
    return ESCAPES[char ?? ''] ?? match;
  });
}

function interpolateValue(raw: string, options: EnvFileOptions, assigned: Record<string, string>, line: number): string {
  if (!raw.includes('$')) return raw;
  const lookup: VariableLookup = (name) => options.lookup(name) ?? assigned[name];
  try {
    return interpolateTemplate(raw, { lookup, onUnset: options.onUnset });
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw envError(options.file, line, `invalid interpolation format "${raw}"`);
    if (error instanceof MissingVariableError) throw envError(options.file, line, error.message);
    throw error;
  }
}

function envError(file: string, line: number, message: string): EnvFileError {
  return new EnvFileError(`${file}: line ${line}: ${message}`, { file });
}
