// The API key of this browser session: from the `#key=` fragment (which never reaches the
// server) or the login form, kept in sessionStorage until the tab is closed or the user logs out.

export const STORAGE_KEY = 'accelero.api-key';

/** The key in a location fragment like `#key=acc_…` (other fragment parameters are ignored). */
export function keyFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key')?.trim();
  return key ? key : null;
}

export function storedKey(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(STORAGE_KEY);
}

export function storeKey(storage: Pick<Storage, 'setItem'>, key: string): void {
  storage.setItem(STORAGE_KEY, key);
}

export function forgetKey(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(STORAGE_KEY);
}
