import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes } from '../../src/compose/bytes.ts';
import { formatDuration, parseDurationNs } from '../../src/compose/durations.ts';
import { normaliseProjectName } from '../../src/compose/project-name.ts';
import { splitShellWords, ShellWordsError } from '../../src/compose/shell-words.ts';

test('durations combine units like Go', () => assert.equal(parseDurationNs('1m30s'), 90e9));
test('durations accept ms, us and ns', () => assert.deepEqual(['10ms', '5us', '7ns'].map(parseDurationNs), [10e6, 5e3, 7]));
test('durations accept fractions', () => assert.equal(parseDurationNs('1.5s'), 1.5e9));
test('durations accept compose-go days and weeks', () => assert.equal(parseDurationNs('1w1d'), 8 * 86400e9));
test('a bare number other than 0 is not a duration', () => assert.equal(parseDurationNs('10'), undefined));
test('0 is a duration without unit', () => assert.equal(parseDurationNs('0'), 0));
test('garbage is not a duration', () => assert.equal(parseDurationNs('1m30'), undefined));
test('durations print the way Go prints them', () => {
  assert.deepEqual([90e9, 3600e9, 1.5e9, 500e6, 0].map(formatDuration), ['1m30s', '1h0m0s', '1.5s', '500ms', '0s']);
});

test('sizes use binary multipliers', () => assert.deepEqual(['512m', '1g', '100k', '2b'].map((v) => parseBytes(v)), [536870912, 1073741824, 102400, 2]));
test('sizes accept fractions and an i/b suffix in any case', () => assert.deepEqual(['1.5g', '1GB', '1GiB'].map((v) => parseBytes(v)), [1610612736, 1073741824, 1073741824]));
test('a plain number is bytes', () => assert.deepEqual([parseBytes('1024'), parseBytes(2048)], [1024, 2048]));
test('a negative integer size is kept (memswap_limit: -1)', () => assert.equal(parseBytes(-1), -1));
test('a negative size string is rejected, as go-units does', () => assert.equal(parseBytes('-1'), undefined));
test('an unknown size suffix is rejected', () => assert.equal(parseBytes('12x'), undefined));

test('project names are lowercased and stripped to [a-z0-9_-]', () => assert.equal(normaliseProjectName('My App.v2'), 'myappv2'));
test('project names lose leading _ and -', () => assert.equal(normaliseProjectName('_-stack_1'), 'stack_1'));

test('shell words split on white space', () => assert.deepEqual(splitShellWords('  echo  a\tb '), ['echo', 'a', 'b']));
test('shell words honour double and single quotes', () => assert.deepEqual(splitShellWords(`sh -c "echo 'hi there'" 'a b'`), ['sh', '-c', "echo 'hi there'", 'a b']));
test('shell words keep an empty quoted word', () => assert.deepEqual(splitShellWords(`a "" b`), ['a', '', 'b']));
test('a backslash escapes the next character outside single quotes', () => assert.deepEqual(splitShellWords('a\\ b "c\\"d" \'e\\f\''), ['a b', 'c"d', 'e\\f']));
test('shell words leave $ and ; alone', () => assert.deepEqual(splitShellWords('echo $HOME; ls'), ['echo', '$HOME;', 'ls']));
test('an unterminated quote is an error', () => assert.throws(() => splitShellWords('echo "oops'), ShellWordsError));
