import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateTemplate, MissingVariableError, TemplateSyntaxError } from '../../src/compose/interpolate.ts';

const ENV: Record<string, string> = { FOO: 'first', EMPTY: '', ZERO: '0', SPACE: ' ', DOLLAR: '$BAR', BAR: 'bar', lower: 'l' };

function expand(template: string, env: Record<string, string> = ENV): string {
  return interpolateTemplate(template, { lookup: (name) => env[name] });
}

function unsetWarnings(template: string): string[] {
  const names: string[] = [];
  interpolateTemplate(template, { lookup: (name) => ENV[name], onUnset: (name) => names.push(name) });
  return names;
}

test('$VAR takes the value', () => assert.equal(expand('a $FOO b'), 'a first b'));
test('${VAR} takes the value', () => assert.equal(expand('a${FOO}b'), 'afirstb'));
test('an unset $VAR becomes an empty string', () => assert.equal(expand('[$NOPE]'), '[]'));
test('an unset ${VAR} is reported to onUnset', () => assert.deepEqual(unsetWarnings('${NOPE} $OTHER'), ['NOPE', 'OTHER']));
test('the name is the longest run of name characters', () => assert.equal(expand('$FOO_bar.'), '.'));
test('the lookup is case sensitive', () => assert.equal(expand('$lower$LOWER'), 'l'));
test('$$ is one literal dollar', () => assert.equal(expand('$$FOO'), '$FOO'));
test('$$$$ is two dollars', () => assert.equal(expand('$$$$'), '$$'));
test('$${X} is the literal text ${X}', () => assert.equal(expand('$${FOO}'), '${FOO}'));
test('a $ before a digit stays literal', () => assert.equal(expand('$1 costs 5$'), '$1 costs 5$'));
test('a $ before a space or punctuation stays literal', () => assert.equal(expand('a $ b ^re$ $}'), 'a $ b ^re$ $}'));
test('a $ before a non-ASCII letter stays literal', () => assert.equal(expand('$é'), '$é'));
test('a backslash does not escape a dollar', () => assert.equal(expand('\\$FOO'), '\\first'));
test('unbraced references take no operators', () => assert.equal(expand('$FOO:-x $NOPE-bar'), 'first:-x -bar'));
test('substituted values are never re-scanned', () => assert.equal(expand('${DOLLAR}'), '$BAR'));

test(':- uses the default when unset', () => assert.equal(expand('${NOPE:-d}'), 'd'));
test(':- uses the default when empty', () => assert.equal(expand('${EMPTY:-d}'), 'd'));
test(':- keeps a non-empty value, even "0" or a space', () => assert.equal(expand('${ZERO:-d}${SPACE:-d}'), '0 '));
test('- uses the default only when unset', () => assert.equal(expand('${NOPE-d}|${EMPTY-d}|${FOO-d}'), 'd||first'));
test(':+ gives the word only when non-empty', () => assert.equal(expand('${NOPE:+w}|${EMPTY:+w}|${FOO:+w}'), '||w'));
test('+ gives the word when set, even empty', () => assert.equal(expand('${NOPE+w}|${EMPTY+w}|${FOO+w}'), '|w|w'));
test(':? fails when unset with the message', () => {
  assert.throws(() => expand('${NOPE:?is needed}'), { message: 'required variable NOPE is missing a value: is needed' });
});
test(':? fails when empty', () => assert.throws(() => expand('${EMPTY:?x}'), MissingVariableError));
test('? accepts an empty value', () => assert.equal(expand('[${EMPTY?x}]'), '[]'));
test('? fails when unset', () => assert.throws(() => expand('${NOPE?x}'), MissingVariableError));
test(':? and ? keep a set value', () => assert.equal(expand('${FOO:?x}${FOO?x}'), 'firstfirst'));
test('an empty required message is left out of the error', () => {
  assert.throws(() => expand('${NOPE:?}'), { message: 'required variable NOPE is missing a value' });
});
test('the required message is interpolated', () => {
  assert.throws(() => expand('${NOPE:?need ${FOO}}'), { message: 'required variable NOPE is missing a value: need first' });
});

test('defaults nest', () => assert.equal(expand('${NOPE:-${ALSO:-${FOO}}}'), 'first'));
test('a default may hold $NAME references', () => assert.equal(expand('${NOPE:-x$FOO}'), 'xfirst'));
test('a default keeps spaces, quotes and colons exactly', () => assert.equal(expand('${NOPE:- a:"b" }'), ' a:"b" '));
test('the operator is the one right after the name', () => assert.equal(expand('${NOPE-x:-y}'), 'x:-y'));
test('? binds before a later :-', () => assert.throws(() => expand('${NOPE?x:-y}'), { message: /missing a value: x:-y/ }));
test('balanced braces stay in the default', () => assert.equal(expand('${NOPE:-{"k":{"n":1}}}'), '{"k":{"n":1}}'));
test('an unbalanced default ends at the last brace on the line', () => assert.equal(expand('${NOPE:-{}'), '{'));
test('text after the balancing brace is kept', () => assert.equal(expand('${NOPE:-x}}'), 'x}'));
test('braces are counted without compose-go\'s skip-after-{ bug', () => assert.equal(expand('${NOPE:-{}}x}'), '{}x}'));
test('$$ in a default is a literal dollar', () => assert.equal(expand('${NOPE:-$$5}'), '$5'));

test('defaults are only evaluated when used', () => assert.equal(expand('${FOO:-${MISSING:?boom}}'), 'first'));
test('a used default that fails raises the error', () => assert.throws(() => expand('${NOPE:-${MISSING:?boom}}'), MissingVariableError));
test('an unused malformed default is not an error', () => assert.equal(expand('${FOO:-${}}'), 'first'));
test('a used malformed default is an error', () => assert.throws(() => expand('${NOPE:-${}}'), TemplateSyntaxError));
test('an unused unclosed inner expression is not an error', () => assert.equal(expand('${FOO:-${B}'), 'first'));
test('an unused default warns about nothing', () => assert.deepEqual(unsetWarnings('${FOO:-$UNSEEN}'), []));
test('an unused alternative is not evaluated', () => assert.equal(expand('${NOPE:+${MISSING:?boom}}'), ''));

for (const template of ['${', '${}', '${ }', '${ x}', '${x }', '${1}', '${9A}', '${A.B}', '${A:x}', '${A:=x}', '${#A}', '${!A}', '${A/x/y}', '${A#x}', '${A^^}', '${FOO', '${{A}}', 'ok ${FOO:-x']) {
  test(`"${template}" is invalid syntax`, () => assert.throws(() => expand(template), TemplateSyntaxError));
}

test('a newline inside ${…} is invalid even when the variable is set', () => {
  assert.throws(() => expand('${FOO:-line1\nline2}'), TemplateSyntaxError);
});
test('a newline outside ${…} is fine', () => assert.equal(expand('${FOO}\n${BAR}'), 'first\nbar'));
test('the syntax error quotes the whole template', () => {
  assert.throws(() => expand('img:${A.B}'), { message: 'invalid interpolation format: "img:${A.B}"' });
});
test('the first error from the left is reported', () => {
  assert.throws(() => expand('${ONE:?first} ${TWO:?second}'), { message: /ONE.*first/ });
});
