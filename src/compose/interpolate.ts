// The interpolation engine of compose-go (`template/template.go`), written as a scanner rather
// than compose-go's regular expression, but with the same observable behaviour
// (docs/compose.md A.2–A.4):
// `$$` escapes, `$NAME` takes no operators, a `$` that cannot start a reference stays literal,
// `${…}` must close on the same line, operator words are evaluated lazily, and substituted values
// are never re-scanned.

export type VariableLookup = (name: string) => string | undefined;

export interface TemplateOptions {
  lookup: VariableLookup;
  /** Called for `$A` / `${A}` when A is unset (compose warns and substitutes ""). */
  onUnset?: (name: string) => void;
}

/** `${…}` compose-go rejects ("invalid interpolation format"). `template` is the whole input. */
export class TemplateSyntaxError extends Error {
  constructor(readonly template: string) {
    super(`invalid interpolation format: "${template}"`);
  }
}

/** `${A:?msg}` / `${A?msg}` without a value; the message text matches compose-go's. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string, readonly reason: string) {
    super(
      reason === ''
        ? `required variable ${variable} is missing a value`
        : `required variable ${variable} is missing a value: ${reason}`,
    );
  }
}

type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';
const OPERATORS: readonly Operator[] = [':-', ':?', ':+', '-', '?', '+'];

interface Expansion {
  text: string;
  end: number;
}

/** Substitutes every reference in `template`; throws TemplateSyntaxError or MissingVariableError. */
export function interpolateTemplate(template: string, options: TemplateOptions): string {
  let out = '';
  let index = 0;
  while (index < template.length) {
    const dollar = template.indexOf('$', index);
    if (dollar < 0) return out + template.slice(index);
    out += template.slice(index, dollar);
    const expansion = expandDollar(template, dollar, options);
    out += expansion.text;
    index = expansion.end;
  }
  return out;
}

/** True when the string holds a `$` at all; most compose values do not, and skip the scanner. */
export function mayInterpolate(value: string): boolean {
  return value.includes('$');
}

function isNameStart(char: string | undefined): boolean {
  return char !== undefined && ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || char === '_');
}

function isNameChar(char: string | undefined): boolean {
  return isNameStart(char) || (char !== undefined && char >= '0' && char <= '9');
}

function scanName(text: string, start: number): number {
  if (!isNameStart(text[start])) return start;
  let end = start + 1;
  while (isNameChar(text[end])) end++;
  return end;
}

function expandDollar(template: string, at: number, options: TemplateOptions): Expansion {
  const next = template[at + 1];
  if (next === '$') return { text: '$', end: at + 2 };
  if (next === '{') return expandBraced(template, at, options);
  const nameEnd = scanName(template, at + 1);
  // compose-go: a `$` that starts neither a name, `{` nor `$` is not a match and stays literal.
  if (nameEnd === at + 1) return { text: '$', end: at + 1 };
  return { text: lookupPlain(template.slice(at + 1, nameEnd), options), end: nameEnd };
}

function lookupPlain(name: string, options: TemplateOptions): string {
  const value = options.lookup(name);
  if (value === undefined) {
    options.onUnset?.(name);
    return '';
  }
  return value;
}

function expandBraced(template: string, at: number, options: TemplateOptions): Expansion {
  const nameStart = at + 2;
  const nameEnd = scanName(template, nameStart);
  if (nameEnd === nameStart) throw new TemplateSyntaxError(template);
  const name = template.slice(nameStart, nameEnd);
  if (template[nameEnd] === '}') return { text: lookupPlain(name, options), end: nameEnd + 1 };
  const operator = OPERATORS.find((op) => template.startsWith(op, nameEnd));
  if (operator === undefined) throw new TemplateSyntaxError(template);
  const wordStart = nameEnd + operator.length;
  const close = findClosingBrace(template, wordStart);
  if (close < 0) throw new TemplateSyntaxError(template);
  const word = template.slice(wordStart, close);
  return { text: applyOperator(name, operator, word, options), end: close + 1 };
}

/**
 * The `}` that balances the opening `${`, counting every brace in the word; when the braces never
 * balance on this line, the last `}` on the line (compose-go's greedy `.*}` match). A newline ends
 * the search: Go's `.` does not match `\n`, so `${A:-a⏎b}` is invalid (docs/compose.md A.4.1).
 * Unlike compose-go we count the character after each `{` too (A.4.4: not copied).
 */
function findClosingBrace(template: string, wordStart: number): number {
  let depth = 1;
  let lastClose = -1;
  for (let index = wordStart; index < template.length; index++) {
    const char = template[index];
    if (char === '\n') break;
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return index;
      lastClose = index;
    }
  }
  return lastClose;
}

function applyOperator(name: string, operator: Operator, word: string, options: TemplateOptions): string {
  const value = options.lookup(name);
  const isSet = value !== undefined;
  const isNonEmpty = isSet && value !== '';
  // The word is interpolated only when it is used (compose-go evaluates it lazily).
  const evaluateWord = (): string => interpolateTemplate(word, options);
  switch (operator) {
    case ':-':
      return isNonEmpty ? value : evaluateWord();
    case '-':
      return isSet ? value : evaluateWord();
    case ':+':
      return isNonEmpty ? evaluateWord() : '';
    case '+':
      return isSet ? evaluateWord() : '';
    case ':?':
      if (!isNonEmpty) throw new MissingVariableError(name, evaluateWord());
      return value;
    case '?':
      if (!isSet) throw new MissingVariableError(name, evaluateWord());
      return value;
  }
}
