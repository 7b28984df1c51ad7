// UiTiD v2 user login in a real browser (headless Chromium via playwright-core), the way a web
// app's visitor goes through it (docs/protocol.md#oauth2-realm): the authorization request with
// PKCE (S256) opens the login form, the user logs in, and the browser lands on the app's
// redirect URI (a tiny local HTTP server) with code, state, session_state and iss; the app then
// exchanges the code at the token endpoint for access, refresh and id tokens.
// Usage: node authorization_code.js BASE_URL   (Chromium at $CHROMIUM or /usr/bin/chromium)
const crypto = require('crypto');
const http = require('http');
const { chromium } = require('playwright-core');

const base = process.argv[2];
const client = { id: '5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11', secret: 'sampleclientsecret' };
const check = (ok, what) => { if (!ok) throw new Error(`FAILED: ${what}`); console.log(`ok - ${what}`); };
const random = () => crypto.randomBytes(32).toString('base64url');

/** The app's callback: a local server that records what the browser brings and says thanks. */
async function callbackServer() {
  const hits = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url);
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('logged in');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, hits, uri: `http://localhost:${server.address().port}/callback` };
}

(async () => {
  const discovery = await (await fetch(`${base}/realms/uitid/.well-known/openid-configuration`)).json();
  const app = await callbackServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));

    const verifier = random();
    const state = random();
    const nonce = random();
    const authorize = new URL(discovery.authorization_endpoint);
    Object.entries({
      client_id: client.id, redirect_uri: app.uri, response_type: 'code', scope: 'openid', state, nonce,
      code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).forEach(([name, value]) => authorize.searchParams.set(name, value));
    await page.goto(authorize.href);
    check(page.url().startsWith(`${base}/login?flow=`), 'the authorization endpoint redirects to the login form');

    await page.fill('#username', 'stiksels');
    await page.fill('#password', 'stiksels');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(app.uri)), page.click('button[value=login]')]);
    const landed = new URL(page.url());
    const got = (name) => landed.searchParams.get(name);
    check(app.hits.filter((u) => u.startsWith('/callback?')).length === 1 && (await page.textContent('body')) === 'logged in', 'the browser reached the app\'s callback');
    check(got('state') === state && got('iss') === discovery.issuer, 'with our state and the issuer as iss');
    check(Boolean(got('code')) && Boolean(got('session_state')), 'with a code and a session_state');

    const answer = await fetch(discovery.token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: got('code'), redirect_uri: app.uri, code_verifier: verifier,
        client_id: client.id, client_secret: client.secret,
      }),
    });
    const tokens = await answer.json();
    const complete = answer.status === 200
      && ['access_token', 'refresh_token', 'id_token'].every((t) => typeof tokens[t] === 'string');
    check(complete || console.error(answer.status, tokens),
      'the token endpoint exchanges the code for an access token, a refresh token and an id_token');
    check(tokens.session_state === got('session_state'), 'of the session the callback named');
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
    check(claims.nonce === nonce && claims.aud === client.id, 'the id_token carries our nonce, for our client');
    check(errors.length === 0, `no console or CSP errors (${JSON.stringify(errors)})`);
  } finally {
    await browser.close();
    app.server.close();
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
