import type { ChannelSecrets } from './types.ts';

// A delivery's error is stored and logged; whatever a library put in it, no credential of the
// channel survives: the URLs whole, their passwords and paths (a Slack URL is its token), the secret.

export function redactSecrets(message: string, secrets: ChannelSecrets): string {
  const values = new Set<string>();
  for (const value of [secrets.url, secrets.smtp_url, secrets.secret]) {
    if (!value) continue;
    values.add(value);
    const url = safeUrl(value);
    if (url?.password) values.add(decodeURIComponent(url.password)).add(url.password);
    if (url && url.pathname.length > 1) values.add(url.pathname + url.search);
  }
  let redacted = message;
  for (const value of [...values].sort((a, b) => b.length - a.length)) redacted = redacted.split(value).join('[redacted]');
  return redacted.slice(0, 500);
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
