// Block scalars (`|`, `>`, with `-`/`+` chomping) for fast-yaml.ts. Explicit indentation
// indicators, more-indented folded lines and a scalar that ends the file without a newline make
// the reader give up, so `yaml` decides those.
import type { FastLine } from './fast-yaml.ts';
import { FastYamlBail, trailingIsEmpty } from './fast-yaml-scalars.ts';

interface LineReader {
  lines: FastLine[];
  index: number;
  finalNewline: boolean;
}

function bail(): never {
  throw new FastYamlBail();
}

export function readBlockScalar(reader: LineReader, header: string, parentIndent: number): string {
  const folded = header[0] === '>';
  const chomping = header[1] === '-' || header[1] === '+' ? header[1] : '';
  if (!trailingIsEmpty(header, 1 + chomping.length)) bail();
  const lines = collectLines(reader, parentIndent);
  let trailingEmpty = 0;
  while (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
    trailingEmpty++;
  }
  if (lines.length === 0) bail();
  const body = folded ? fold(lines) : lines.join('\n');
  if (chomping === '-') return body;
  if (chomping === '+') return body + '\n'.repeat(1 + trailingEmpty);
  return `${body}\n`;
}

function isWhitespace(line: FastLine): boolean {
  return line.text.trim() === '';
}

/** The scalar's lines with the content indentation removed ("" for empty lines). */
function collectLines(reader: LineReader, parentIndent: number): string[] {
  const start = reader.index;
  let contentIndent = -1;
  const lines: string[] = [];
  for (; reader.index < reader.lines.length; reader.index++) {
    const line = reader.lines[reader.index];
    if (isWhitespace(line)) {
      // Tabs, or spaces before the first content line, need the full rules.
      if (line.text !== '' || (contentIndent < 0 && line.indent > 0)) bail();
      lines.push(contentIndent >= 0 && line.indent > contentIndent ? ' '.repeat(line.indent - contentIndent) : '');
      continue;
    }
    if (contentIndent < 0) {
      if (line.indent <= parentIndent) break;
      contentIndent = line.indent;
    }
    if (line.indent < contentIndent) {
      if (line.indent > parentIndent) bail();
      break;
    }
    lines.push(' '.repeat(line.indent - contentIndent) + line.text);
  }
  // A scalar that ends the file without a final line break chomps differently: leave it to `yaml`.
  if (reader.index >= reader.lines.length && reader.index > start && !reader.finalNewline) bail();
  return lines;
}

/** `>` folding: single line breaks become spaces, each empty line a newline. */
function fold(lines: string[]): string {
  let result = '';
  let empties = 0;
  for (const line of lines) {
    if (line === '') {
      empties++;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') bail();
    if (empties > 0) result += '\n'.repeat(empties);
    else if (result !== '') result += ' ';
    result += line;
    empties = 0;
  }
  return result;
}
