import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fastParseYaml } from '../../src/compose/fast-yaml.ts';
import { COMPOSE_YAML_OPTIONS } from '../../src/compose/yaml-numbers.ts';
import { FIXTURES, seededRandom } from './helpers.ts';

function reference(text: string): unknown {
  return parse(text, COMPOSE_YAML_OPTIONS);
}

/** Inputs the fast reader must read itself, exactly as `yaml` does. */
const HANDLED: Record<string, string> = {
  'nested block mappings': 'a:\n  b:\n    c: 1\n  d: x\n',
  'comments everywhere': '# top\na: 1 # one\n\n  # indented\nb: "x" # two\nc: [1, 2] # three\n',
  'a sequence at the indentation of its key': 'k:\n- a\n- b\n',
  'a key after a sequence at the indentation of its key': 's:\n  k:\n  - a\n  - - b\n    - c\n  -\n    x: y\n  after: 1\n',
  'compact mappings in sequences': '- a\n- b: 1\n  c: 2\n-   d: 1\n    e: 2\n',
  'nested sequences': '- - a\n  - b\n- c\n',
  'scalar types of the core schema': 'n: ~\nn2: null\nn3:\nt: true\nf: False\ni: -12\nfl: 1.5\ne: 1e3\ndot: .5\ns: yes\nv: 1.2.3\nd: 2024-01-01\n',
  'numbers the go-yaml way': 'o: 0755\nu: 1_000\nh: 0x1F\nb: 0b101\nn: -017\ne: 08\nf: 1_0.5\n',
  'quoted scalars with escapes': `a: "x\\ty\\n\\"q\\" \\\\ \\/"\nb: 'it''s'\nc: ""\nd: ''\n`,
  'plain scalars with colons, hashes and dashes': 'a: http://x:80/p#frag\nb: a#b\nc: -x\nd: "- y"\ne: 127.0.0.1:8080:80\n',
  'flow collections': 'a: [1, "two", three, {k: v, n: null}, [x]]\nb: {a: 1, "b": [c, d], e: }\nc: []\nd: {}\ne: [a, b, ]\n',
  'flow plain scalars with colons': 'y: [a:b, "c", 8080:80/udp]\nz: {a: b:c, url: http://x}\n',
  'literal block scalars and chomping': 'a: |\n  one\n    two\n\n  three\nb: |-\n  x\n\nc: |+\n  y\n\n\nd: 1\n',
  'folded block scalars': 'a: >\n  x\n  y\n\n  z\nb: >-\n  --flag\n  --other\n',
  'anchors, aliases and merge keys': 'x: &base {restart: always, image: a}\ny:\n  <<: *base\n  image: b\nz:\n  image: c\n  <<: [*base]\nw: *base\n',
  'anchored block mappings': 'x-env: &env\n  A: 1\n  B: 2\ns:\n  environment:\n    <<: *env\n    B: 3\n',
  'a leading document marker and a BOM': '\uFEFF---\na: 1\n',
  'CRLF line endings': 'a: 1\r\nb:\r\n  - x\r\n',
  'quoted keys': '"a b": 1\n\'c\': 2\n"$X": 3\n',
  'keys with dots, slashes and dashes': 'traefik.http.routers.x.rule: Host(`a`)\ncom.example/key-1: v\n',
  'an empty document': '',
  'a comment-only document': '# nothing\n',
};

/** Inputs outside the subset: the fast reader must give up, never guess. */
const BAILS: Record<string, string> = {
  'multi-line plain scalars': 'a: one\n  two\n',
  'multi-line double quotes': 'a: "one\n  two"\n',
  'multi-line flow collections': 'a: [1,\n  2]\n',
  tags: 'a: !reset []\n',
  'complex keys': '? a\n: b\n',
  'duplicate keys': 'a: 1\na: 2\n',
  'several documents': 'a: 1\n---\nb: 2\n',
  'tab indentation': 'a:\n\tb: 1\n',
  'infinities': 'a: .inf\nb: -.Inf\n',
  'unicode escapes': 'a: "\\u00e9"\n',
  'explicit indentation indicators': 'a: |2\n    x\n',
  'a mapping value on the key line': 'a: b: c\n',
  'single-pair mappings in flow sequences': 'a: [b: c]\n',
  'an undefined alias': 'a: *nope\n',
  'a block scalar at the end without a newline': 'a: |\n  x',
  'non-string keys': '80: a\n',
  'a key right after a nested sequence': 'a:\n  - x\n  b: 1\n',
  'a top-level sequence followed by a key': '- a\nb: 1\n',
};

for (const [name, text] of Object.entries(HANDLED)) {
  test(`the fast reader reads ${name} like yaml`, () => {
    const fast = fastParseYaml(text);
    assert.notEqual(fast, undefined, 'the fast reader gave up');
    assert.deepEqual(fast, reference(text));
  });
}

for (const [name, text] of Object.entries(BAILS)) {
  test(`the fast reader leaves ${name} to yaml`, () => assert.equal(fastParseYaml(text), undefined));
}

/** The fixture compose files plus one file of YAML constructs (anchors, merges, block scalars). */
function corpus(): string[] {
  const composeFiles = readdirSync(FIXTURES).filter((entry) => existsSync(`${FIXTURES}${entry}/compose.yaml`));
  return [...composeFiles.map((name) => `${FIXTURES}${name}/compose.yaml`), `${FIXTURES}yaml-constructs.yaml`];
}

test('the fast reader reads every fixture compose file like yaml', () => {
  for (const name of corpus()) {
    const text = readFileSync(name, 'utf8');
    const fast = fastParseYaml(text);
    assert.notEqual(fast, undefined, `${name}: the fast reader gave up`);
    assert.deepEqual(fast, reference(text), name);
  }
});

test('randomly damaged fixtures are read like yaml or left to it', () => {
  const texts = corpus().map((name) => readFileSync(name, 'utf8'));
  const pieces = [':', '#', '-', "'", '"', '[', ']', '{', '}', '&', '*', '|', '>', ' ', '\n', ',', '!', '?', '\n  ', ': ', ' #', '- ', '~', '.', '\\', '<<: '];
  const random = seededRandom(42);
  for (let round = 0; round < 600; round++) {
    let text = texts[random(texts.length)];
    for (let edit = 0; edit <= random(3); edit++) {
      const at = random(text.length);
      text = random(3) === 0 ? text.slice(0, at) + text.slice(at + 1 + random(3)) : text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
    }
    const fast = fastParseYaml(text);
    if (fast === undefined) continue;
    assert.deepEqual(fast, reference(text), JSON.stringify(text));
  }
});

test('a leading zero is octal, as in go-yaml v3', () => assert.deepEqual(fastParseYaml('mode: 0755\n'), { mode: 493 }));
test('underscores in numbers are dropped, as in go-yaml v3', () => assert.deepEqual(fastParseYaml('n: 1_000\n'), { n: 1000 }));
test('the fallback parser reads numbers the same go-yaml way', () => assert.deepEqual(reference('a: 0755\nb: 0x10\nc: 1_0\n'), { a: 493, b: 16, c: 10 }));

test('an alias bomb is left to yaml, which rejects it', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 7; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
  }
  const text = `${levels.join('\n')}\n`;
  assert.equal(fastParseYaml(text), undefined);
  assert.throws(() => reference(text), /Excessive alias count/);
});
test('many merges of one anchor stay on the fast path', () => {
  const services = Array.from({ length: 300 }, (_, index) => `  s${index}:\n    <<: *common\n    image: x\n`).join('');
  const text = `x-common: &common\n  restart: always\n  labels: {a: b}\nservices:\n${services}`;
  assert.notEqual(fastParseYaml(text), undefined);
});
