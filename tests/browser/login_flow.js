// The login form in a real browser (headless Chromium via playwright-core): the page renders
// without CSP or console errors, a wrong password shows the form again, the right one lands on
// /oob with both tokens, and a second /connect skips the form (SSO).
// Usage: node login_flow.js BASE_URL   (Chromium at $CHROMIUM or /usr/bin/chromium)
const { chromium } = require('playwright-core');

const base = process.argv[2];
const key = 'sample-key-with-refresh';
const check = (ok, what) => { if (!ok) throw new Error(`FAILED: ${what}`); console.log(`ok - ${what}`); };

(async () => {
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

    await page.goto(`${base}/connect?apiKey=${key}&destination=oob&lang=fr`);
    check(page.url().includes('/login?flow='), 'connect redirects to the login form');
    check((await page.textContent('h1')).includes('Se connecter'), 'the form speaks the flow\'s language');

    await page.fill('#username', 'stiksels');
    await page.fill('#password', 'wrong');
    await page.click('button[value=login]');
    check(await page.isVisible('.error'), 'a wrong password shows the form again with an error');

    await page.fill('#password', 'stiksels');
    await page.click('button[value=login]');
    await page.waitForURL(/\/oob\?jwt=/);
    const jwt = await page.inputValue('#jwt');
    const refresh = await page.inputValue('#refresh');
    check(jwt.split('.').length === 3 && refresh.length === 43, 'the oob page shows both tokens');
    check((await page.textContent('pre')).trim().startsWith('{\n  "iss"'), 'claims are shown in wire order');

    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${base}/connect?apiKey=${key}&destination=http://localhost:9/cb`).catch(() => {});
    check(requested.some((u) => u.startsWith('http://localhost:9/cb?jwt=')), 'a second connect skips the form (SSO)');
    check(errors.length === 0, `no console or CSP errors (${JSON.stringify(errors)})`);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
