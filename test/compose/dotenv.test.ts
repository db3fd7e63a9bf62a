import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvFile } from '../../src/compose/dotenv.ts';
import { EnvFileError } from '../../src/compose/errors.ts';

function parse(content: string, env: Record<string, string> = {}): Record<string, string> {
  return parseEnvFile(content, { file: '.env', lookup: (name) => env[name] });
}

test('KEY=value assigns', () => assert.deepEqual(parse('A=1\nB=two\n'), { A: '1', B: 'two' }));
test('comment lines and blank lines are skipped', () => assert.deepEqual(parse('# c\n\n  # indented\nA=1\n'), { A: '1' }));
test('export followed by a space is dropped', () => assert.deepEqual(parse('export A=1\nexport\tB=2'), { A: '1', B: '2' }));
test('export glued to the name is part of the key', () => assert.deepEqual(parse('exportFOO=1\nexport_FOO=2'), { exportFOO: '1', export_FOO: '2' }));
test('YAML-style KEY: value is accepted', () => assert.deepEqual(parse('A: 1'), { A: '1' }));
test('keys may hold dots, dashes, brackets and start with a digit', () => {
  assert.deepEqual(parse('a.b-c[0]=x\n456=ABC'), { 'a.b-c[0]': 'x', '456': 'ABC' });
});
test('trailing spaces before = are trimmed from the key', () => assert.deepEqual(parse('A \t= 1'), { A: '1' }));
test('a key with an embedded space is an error', () => assert.throws(() => parse('A B=1'), /key cannot contain a space/));
test('a key with a $ is an error naming the character and line', () => {
  assert.throws(() => parse('OK=1\n$A=1'), { message: '.env: line 2: unexpected character "$" in variable name "$A=1"' });
});
test('a bare key takes the value from the environment', () => assert.deepEqual(parse('A\nB=2', { A: 'env' }), { A: 'env', B: '2' }));
test('a bare key missing from the environment stays unset', () => assert.deepEqual(parse('A\nB=2'), { B: '2' }));
test('a bare key on the last line without a newline is a bare key', () => assert.deepEqual(parse('B=2\nA', { A: 'env' }), { B: '2', A: 'env' }));

test('single quotes are literal', () => assert.deepEqual(parse("A='$FOO \\n x'", { FOO: 'f' }), { A: '$FOO \\n x' }));
test('single quotes unescape only \\\'', () => assert.deepEqual(parse("A='it\\'s a\\\\b'"), { A: "it's a\\\\b" }));
test('single-quoted values may span lines', () => assert.deepEqual(parse("A='one\ntwo'\nB=3"), { A: 'one\ntwo', B: '3' }));
test('double quotes process \\n \\t \\\\ and \\"', () => assert.deepEqual(parse('A="a\\nb\\tc\\\\d\\"e"'), { A: 'a\nb\tc\\d"e' }));
test('double quotes process \\a \\b \\f \\r \\v', () => assert.deepEqual(parse('A="\\a\\b\\f\\r\\v"'), { A: '\x07\b\f\r\v' }));
test('double quotes process octal \\0NNN', () => assert.deepEqual(parse('A="\\0123"'), { A: 'S' }));
test('unknown escapes in double quotes stay as written', () => {
  assert.deepEqual(parse('A="\\x07 \\u12e4 \\\' \\ "'), { A: "\\x07 \\u12e4 \\' \\ " });
});
test('\\$ in double quotes is a literal dollar', () => assert.deepEqual(parse('A="\\$FOO"', { FOO: 'f' }), { A: '$FOO' }));
test('double quotes interpolate', () => assert.deepEqual(parse('A="x${FOO}y"', { FOO: 'f' }), { A: 'xfy' }));
test('double-quoted values may span lines and keep CR', () => assert.deepEqual(parse('A="one\r\ntwo"'), { A: 'one\r\ntwo' }));
test('a comment may follow a closing quote', () => assert.deepEqual(parse('A="x" # note\nB=2'), { A: 'x', B: '2' }));
test('an unterminated quote is an error with the line', () => assert.throws(() => parse('A=1\nB="open\n'), /line 2: unterminated quoted value/));

test('unquoted values are cut at space-hash', () => assert.deepEqual(parse('A=a #comment\nB=a#b\nC=a\t#c'), { A: 'a', B: 'a#b', C: 'a\t#c' }));
test('a hash right after = is part of the value', () => assert.deepEqual(parse('A= # c\nB=#x'), { A: '# c', B: '#x' }));
test('unquoted values have trailing white space removed', () => assert.deepEqual(parse('A=value   \nB=x\r\n'), { A: 'value', B: 'x' }));
test('leading spaces after = are skipped', () => assert.deepEqual(parse('A=   v'), { A: 'v' }));
test('unquoted values get no escape processing', () => assert.deepEqual(parse('A=a\\tb'), { A: 'a\\tb' }));
test('unquoted \\$X keeps the backslash and expands X', () => assert.deepEqual(parse('A=\\$X', { X: 'x' }), { A: '\\x' }));
test('an empty value is an empty string', () => assert.deepEqual(parse('A=\nB='), { A: '', B: '' }));

test('CRLF line endings are handled', () => assert.deepEqual(parse('A=1\r\nB="2"\r\nC\r\n', { C: 'c' }), { A: '1', B: '2', C: 'c' }));
test('a UTF-8 BOM is dropped', () => assert.deepEqual(parse('\uFEFFA=1'), { A: '1' }));
test('the last assignment of a key wins', () => assert.deepEqual(parse('A=1\nA=2'), { A: '2' }));

test('values interpolate earlier keys of the file', () => assert.deepEqual(parse('A=1\nB=${A}2'), { A: '1', B: '12' }));
test('the environment wins over earlier keys while interpolating', () => {
  assert.deepEqual(parse('OPTION_A=1\nOPTION_B=${OPTION_A}', { OPTION_A: '5' }), { OPTION_A: '1', OPTION_B: '5' });
});
test('a forward reference is empty', () => assert.deepEqual(parse('B=${A}\nA=1'), { B: '', A: '1' }));
test('all operators work in values', () => assert.deepEqual(parse('A=${X:-d}\nB=${A:+alt}\nC=$$A'), { A: 'd', B: 'alt', C: '$A' }));
test('a required variable error fails the file', () => assert.throws(() => parse('A=${X:?set X}'), /line 1: required variable X is missing a value: set X/));
test('invalid interpolation fails the file', () => assert.throws(() => parse('A=${X'), EnvFileError));
test('keys from an earlier file of the list are visible', () => {
  const result = parseEnvFile('B=${A}', { file: 'b.env', lookup: () => undefined, assigned: { A: 'a' } });
  assert.deepEqual(result, { A: 'a', B: 'a' });
});
