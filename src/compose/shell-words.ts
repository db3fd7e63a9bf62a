// Splits a `command:` / `entrypoint:` string the way compose-go does (mattn/go-shellwords):
// white space separates words, quotes group, a backslash escapes the next character except
// inside single quotes. No shell runs: `$VAR`, globs and `;` are ordinary characters here
// (compose interpolation has already happened on the YAML value).

export class ShellWordsError extends Error {}

interface SplitState {
  words: string[];
  current: string;
  inWord: boolean;
  quote: '' | "'" | '"';
  escaped: boolean;
}

export function splitShellWords(text: string): string[] {
  const state: SplitState = { words: [], current: '', inWord: false, quote: '', escaped: false };
  for (const char of text) consume(state, char);
  if (state.quote !== '') throw new ShellWordsError(`unterminated ${state.quote} quote in "${text}"`);
  if (state.inWord) state.words.push(state.current);
  return state.words;
}

function consume(state: SplitState, char: string): void {
  if (state.escaped) {
    state.current += char;
    state.escaped = false;
    state.inWord = true;
    return;
  }
  if (char === '\\' && state.quote !== "'") {
    state.escaped = true;
    return;
  }
  if (state.quote !== '') {
    if (char === state.quote) state.quote = '';
    else state.current += char;
    return;
  }
  if (char === "'" || char === '"') {
    state.quote = char;
    state.inWord = true;
    return;
  }
  if (/\s/.test(char)) {
    if (state.inWord) state.words.push(state.current);
    state.current = '';
    state.inWord = false;
    return;
  }
  state.current += char;
  state.inWord = true;
}
