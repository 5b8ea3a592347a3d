// An independent, standards-compliant OpenID provider (the npm package
// `oidc-provider`) set up with Cognito's paths and claims, so the sign-in tests
// prove the SPA and the API follow the standards rather than our own provider's
// habits. Started by the test on loopback; dev interactions (any username and
// password) stand in for Google.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import Provider from 'oidc-provider';

/** A port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const API_RESOURCE = 'urn:shoebox:api';

export async function startProvider({ port, clientId, appUrl }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-provider-key', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [new URL('/auth/callback', appUrl).href],
        post_logout_redirect_uris: [new URL('/', appUrl).href],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    // Cognito's paths.
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      userinfo: '/oauth2/userInfo',
      jwks: '/.well-known/jwks.json',
      end_session: '/logout',
      revocation: '/oauth2/revoke',
    },
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    cookies: { keys: ['e2e-only-cookie-signing-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@example.test`, email_verified: true, preferred_username: sub }),
    }),
    // JWT access tokens (RFC 9068: they carry client_id) with Cognito's token_use.
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'openid email profile',
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: async (_ctx, token) =>
      token.kind === 'AccessToken' ? { token_use: 'access', username: token.accountId } : undefined,
    issueRefreshToken: async () => true,
    // The SPA calls the token endpoint from its own origin.
    clientBasedCORS: () => true,
  });
  const server = provider.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    issuer,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
