// Compose project names: lowercase, only [a-z0-9_-], leading `_`/`-` stripped (compose-go
// `loader.NormalizeProjectName`).

export function normaliseProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}
