// The daemon's API, as the console calls it: relative URLs (so the console also works behind a proxy under a
// path), the signed-in token as a Bearer header, and every failure as an ApiError with Apify's error type.

const TOKEN_KEY = 'actord.token';

/**
 * The sign-in state, in sessionStorage only: it ends with the browser tab and is never sent anywhere but
 * in the Authorization header of this origin's API calls.
 */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A failed call: the HTTP status (0 when the daemon did not answer), Apify's error type and message. */
export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

let unauthorized = () => {};

/** What to do when a signed-in call is refused with 401 (the token was revoked or its user deleted). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function url(path, query) {
  const u = new URL(path.replace(/^\//, ''), document.baseURI);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') u.searchParams.set(key, String(value));
  }
  return u;
}

function headers(extra, token) {
  const h = new Headers(extra || {});
  if (token) h.set('Authorization', 'Bearer ' + token);
  return h;
}

/**
 * Sends a request and returns the Response when it succeeded; otherwise throws ApiError.
 *
 * @param options.token the token to send (default: the signed-in one; null for none)
 * @param options.json a value to send as a JSON body
 * @param options.body a string body, sent with options.contentType
 */
export async function request(path, options = {}) {
  const {method = 'GET', query, json, body, contentType, signal} = options;
  const token = 'token' in options ? options.token : session.token();
  const init = {method, signal, headers: headers(options.headers, token), cache: 'no-store'};
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers.set('Content-Type', 'application/json');
  } else if (body !== undefined) {
    init.body = body;
    if (contentType) init.headers.set('Content-Type', contentType);
  }
  let res;
  try {
    res = await fetch(url(path, query), init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network-error', 'The daemon did not answer. Is it running, and reachable from here?');
  }
  if (res.ok) return res;
  const error = await errorOf(res);
  if (res.status === 401 && token && !('token' in options)) unauthorized(error);
  throw error;
}

/** The `data` of a JSON answer ({data: ...}), or the whole answer when it has none. */
export async function api(path, options) {
  const res = await request(path, options);
  if (res.status === 204) return null;
  const value = await res.json();
  return value && typeof value === 'object' && 'data' in value ? value.data : value;
}

async function errorOf(res) {
  let text = '';
  try {
    text = await res.text();
    const parsed = JSON.parse(text);
    if (parsed && parsed.error && parsed.error.type) {
      return new ApiError(res.status, parsed.error.type, parsed.error.message || parsed.error.type);
    }
  } catch {
    // Not Apify's error shape: described by the status below.
  }
  return new ApiError(res.status, 'http-' + res.status,
    `The daemon answered ${res.status} ${res.statusText || ''}`.trim() + (text && text.length < 200 ? ': ' + text : ''));
}

/**
 * Saves what a URL returns as a file, fetched with the token (a plain link could not send it, and a token in
 * a URL would end up in history and logs). `filename` may be a function of the answer's Content-Type.
 */
export async function download(path, filename, query) {
  const res = await request(path, {query});
  const blob = await res.blob();
  if (typeof filename === 'function') filename = filename(res.headers.get('Content-Type') || '');
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The user a token belongs to (GET /v2/users/me); a refused token throws its 401. */
export async function whoAmI(token) {
  return {user: await api('v2/users/me', {token})};
}
