import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchStacks } from '../../src/api/webhooks/match.ts';
import { repositoryKey } from '../../src/api/webhooks/repo-url.ts';

describe('repository URL keys', () => {
  const same = [
    'https://github.com/acme/shop.git', 'https://github.com/acme/shop', 'http://github.com/acme/shop/', 'git@github.com:acme/shop.git',
    'ssh://git@github.com/acme/shop.git', 'ssh://git@github.com:22/acme/shop', 'git://github.com/acme/shop.git',
    'https://user:token@github.com/acme/shop.git', 'https://GitHub.COM/acme/shop.git', 'github.com:acme/shop',
  ];

  for (const url of same) {
    test(`${url} is the same repository as https://github.com/acme/shop`, () => {
      assert.equal(repositoryKey(url), 'github.com/acme/shop');
    });
  }

  test('the path keeps its case', () => {
    assert.notEqual(repositoryKey('https://github.com/Acme/Shop'), repositoryKey('https://github.com/acme/shop'));
  });

  test('another host is another repository', () => {
    assert.notEqual(repositoryKey('https://gitlab.com/acme/shop'), repositoryKey('https://github.com/acme/shop'));
  });

  test('a local path and its file:// URL are the same repository', () => {
    assert.equal(repositoryKey('/srv/git/shop.git'), repositoryKey('file:///srv/git/shop'));
  });

  test('text that is no URL has no key', () => {
    assert.equal(repositoryKey('not a url'), undefined);
    assert.equal(repositoryKey(''), undefined);
  });
});

describe('matching pushes to stacks', () => {
  const stack = (repo_branch: string, repo_ref: string | null = null) => ({ repo_url: 'git@github.com:acme/shop.git', repo_branch, repo_ref });

  test('a push to the followed branch matches', () => {
    assert.equal(matchStacks({ repositoryUrls: ['https://github.com/acme/shop'], refs: ['refs/heads/main'] }, [stack('main')]).length, 1);
  });

  test('a bare branch name counts as refs/heads/<name>', () => {
    assert.equal(matchStacks({ repositoryUrls: ['https://github.com/acme/shop'], refs: ['main'] }, [stack('main')]).length, 1);
  });

  test('a tag with the branch name does not match a branch', () => {
    assert.equal(matchStacks({ repositoryUrls: ['https://github.com/acme/shop'], refs: ['refs/tags/main'] }, [stack('main')]).length, 0);
  });

  test('a stack pinned to a tag ignores pushes to its branch', () => {
    assert.equal(matchStacks({ repositoryUrls: ['https://github.com/acme/shop'], refs: ['refs/heads/main'] }, [stack('main', 'v1')]).length, 0);
  });
});
