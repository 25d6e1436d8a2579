// A real OpenID Connect provider for Houvast's tests: the npm package
// `oidc-provider` (the certified Node.js implementation), standing in for
// SURFconext or Microsoft Entra ID. It signs ID tokens with an RSA key made at
// start, requires PKCE, and shows a plain login form where the account is
// chosen by typing its id (no password: the provider's own login is not what
// is tested).
//
//   node end2end/oidc/provider.mjs
//
// Environment: OIDC_PORT (0 or unset: any free port), OIDC_REDIRECT_URIS
// (comma-separated callback URLs of Houvast), OIDC_ACCOUNTS (a JSON file of
// `{ "<sub>": { claims } }`; default accounts.json beside this file).
// Prints `listening <issuer>` on standard output once it serves.
//
// For tests only: `POST /test/accounts/<sub>` with a JSON body replaces an
// account's claims (a person's e-mail address changes at the school).

import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const accountsFile = process.env.OIDC_ACCOUNTS || path.join(here, 'accounts.json');
const accounts = JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
const redirectUris = (process.env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:3000/login/school/callback')
  .split(',')
  .map((u) => u.trim())
  .filter(Boolean);

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function configuration() {
  return {
    clients: [
      // Houvast as registered by the school.
      {
        client_id: 'houvast',
        client_secret: 'houvast-test-secret',
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
      // Another service at the same provider: its tokens are not for Houvast.
      {
        client_id: 'other-service',
        client_secret: 'other-service-secret',
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [signingKey] },
    // Released with the `openid` scope, as a federation releases the
    // attributes a service registered for.
    claims: {
      openid: ['sub', 'schac_home_organization', 'employee_number'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    // Claims in the ID token itself, not only from the userinfo endpoint.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['houvast-test-provider-cookie-key'] },
    findAccount: (ctx, sub) => {
      if (!accounts[sub]) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
  };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function page(res, status, title, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

async function start() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(Number(process.env.OIDC_PORT || 0), '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration());
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      const interaction = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
      const account = url.pathname.match(/^\/test\/accounts\/([^/]+)$/);
      if (account && req.method === 'POST') {
        accounts[decodeURIComponent(account[1])] = JSON.parse(await readBody(req));
        res.writeHead(204).end();
      } else if (interaction && req.method === 'GET' && !interaction[2]) {
        const details = await provider.interactionDetails(req, res);
        page(res, 200, 'School login (test provider)', `
<form method="post" action="/interaction/${escape(details.uid)}/login">
  <label for="login">Account</label>
  <input id="login" name="login" autocomplete="off" required>
  <button type="submit">Sign in</button>
</form>`);
      } else if (interaction && req.method === 'POST' && interaction[2]) {
        const details = await provider.interactionDetails(req, res);
        const login = new URLSearchParams(await readBody(req)).get('login') || '';
        if (!accounts[login]) {
          page(res, 400, 'Unknown account', `<p>No account "${escape(login)}" at this provider.</p>`);
          return;
        }
        const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
        grant.addOIDCScope(String(details.params.scope || 'openid'));
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: login }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
      } else {
        callback(req, res);
      }
    } catch (error) {
      console.error(error);
      if (!res.headersSent) page(res, 500, 'Provider error', `<p>${escape(error.message)}</p>`);
    }
  });
  console.log(`listening ${issuer}`);
}

start();
