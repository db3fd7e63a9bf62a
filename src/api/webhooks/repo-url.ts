// Repository URLs as a comparable key: the same repository reached by https, ssh (URL or
// scp-like `git@host:path`), git:// or with credentials gives the same key. Scheme, user and
// password, port, a trailing `.git` or `/`, and the case of the host do not count; the path's
// case does (servers differ in whether it matters).

const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

function trimPath(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/i, '').replace(/^\/+/, '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The comparable key of a repository URL, or undefined for something that is not one. */
export function repositoryKey(raw: string): string | undefined {
  const url = raw.trim();
  if (!url) return undefined;
  if (url.startsWith('/')) return `file:${trimPath(url)}`;
  const scp = SCP_LIKE.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `${scp[1]!.toLowerCase()}/${trimPath(scp[2]!)}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'file:') return `file:${trimPath(safeDecode(parsed.pathname))}`;
  if (!parsed.hostname) return undefined;
  return `${parsed.hostname.toLowerCase()}/${trimPath(safeDecode(parsed.pathname))}`;
}
