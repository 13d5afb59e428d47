// The account the dashboard acts for: its API key and secret, as for any Binance client. They arrive in the
// URL's fragment (`perpguard serve --demo` prints /#key=...&secret=...: a fragment never reaches the server or
// its logs) or through the sign-in form, are kept in this tab's sessionStorage only (gone when the tab
// closes; never in localStorage or a cookie), and the fragment is wiped from the address bar at once.
export interface Credentials {
  readonly apiKey: string;
  readonly secret: string;
}

const STORAGE_KEY = 'perpguard.credentials';
const KEY_FORM = /^[A-Za-z0-9_-]{1,128}$/;

export function isCredentials(apiKey: string, secret: string): boolean {
  return KEY_FORM.test(apiKey) && secret.length > 0 && secret.length <= 256;
}

/** From the fragment (then wiped), else from this tab's storage. */
export function loadCredentials(): Credentials | undefined {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const apiKey = fragment.get('key');
  const secret = fragment.get('secret');
  if (apiKey !== null || secret !== null) history.replaceState(null, '', window.location.pathname + window.location.search);
  if (apiKey !== null && secret !== null && isCredentials(apiKey, secret)) {
    saveCredentials({ apiKey, secret });
    return { apiKey, secret };
  }
  const kept = sessionStorage.getItem(STORAGE_KEY);
  if (kept === null) return undefined;
  try {
    const parsed = JSON.parse(kept) as Partial<Credentials>;
    return typeof parsed.apiKey === 'string' && typeof parsed.secret === 'string' && isCredentials(parsed.apiKey, parsed.secret) ? { apiKey: parsed.apiKey, secret: parsed.secret } : undefined;
  } catch {
    return undefined;
  }
}

export function saveCredentials(credentials: Credentials): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
