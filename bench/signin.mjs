// The SPA's sign-in against the local stack's built-in provider, without a
// browser (authorization code + PKCE over plain HTTP), for the benches that need
// an access token to call the API or to seed a user's library.
import { createHash, randomBytes } from 'node:crypto';

const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** The SPA's sign-in, without a browser: authorize, the login form, the code. */
export async function accessToken(url, { username, password }) {
  url = url.replace(/\/$/, '');
  const config = await (await fetch(`${url}/config.json`)).json();
  const auth = config.auth;
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const redirectUri = new URL(auth.redirect_path, url).href;
  const authorize = new URL(auth.authorize_url);
  for (const [key, value] of Object.entries({
    client_id: auth.client_id, response_type: 'code', redirect_uri: redirectUri,
    scope: auth.scopes.join(' '), code_challenge: challenge, code_challenge_method: 'S256', state: 'bench',
  })) authorize.searchParams.set(key, value);
  const form = await (await fetch(authorize)).text();
  const login = /name="login" value="([^"]+)"/.exec(form)?.[1];
  if (!login) throw new Error('no login form');
  const loggedIn = await fetch(new URL('/login', auth.authorize_url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, username, password }),
  });
  const code = new URL(loggedIn.headers.get('location')).searchParams.get('code');
  if (!code) throw new Error(`sign-in failed: ${loggedIn.status}`);
  const tokens = await (await fetch(auth.token_url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: auth.client_id, code_verifier: verifier,
    }),
  })).json();
  return tokens.access_token;
}

