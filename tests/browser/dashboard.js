// The dashboard (docs/protocol.md#dashboard) in a real browser (headless Chromium via
// playwright-core): it renders with no CSP or console errors and loads nothing from elsewhere;
// its Revoke button revokes a refresh token from a real login, after which /refresh answers
// invalid_grant; its Advance control moves the clock it shows; a bad duration shows the error.
// Saves a full-page screenshot to $UITID_ARTIFACTS/dashboard.png.
// Usage: UITID_ARTIFACTS=DIR node dashboard.js BASE_URL   (Chromium at $CHROMIUM or /usr/bin/chromium)
const path = require('path');
const { chromium } = require('playwright-core');

const base = process.argv[2];
const artifacts = process.env.UITID_ARTIFACTS || path.join(__dirname, '..', '..', 'artifacts');
const key = 'sample-key-with-refresh';
const check = (ok, what) => { if (!ok) throw new Error(`FAILED: ${what}`); console.log(`ok - ${what}`); };

async function tokenIds() {
  const listing = await (await fetch(`${base}/_emulator/refresh-tokens`)).json();
  return listing.refresh_tokens.map((t) => t.id);
}

async function refresh(token) {
  const response = await fetch(`${base}/refresh?apiKey=${key}&refresh=${encodeURIComponent(token)}`);
  return { status: response.status, body: await response.text() };
}

/** Clicks `selector` and waits for the reload the dashboard's script does after a change. */
async function clickAndReload(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const clock = async (page) => ({
  now: Number(await page.getAttribute('#clock-now', 'data-unix')),
  offset: Number(await page.getAttribute('#clock-offset', 'data-seconds')),
});

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    const elsewhere = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith(base)) elsewhere.push(r.url()); });

    // A refresh token from a real login through the form, and its id from the control plane.
    const before = new Set(await tokenIds());
    await page.goto(`${base}/connect?apiKey=${key}&destination=oob`);
    await page.fill('#username', 'stiksels');
    await page.fill('#password', 'stiksels');
    await page.click('button[value=login]');
    await page.waitForURL(/\/oob\?jwt=/);
    const token = await page.inputValue('#refresh');
    const id = (await tokenIds()).find((i) => !before.has(i));
    check(id !== undefined && (await refresh(token)).status === 200, `the login made refresh token ${id}, and it refreshes`);

    // A pending fault on a route this test does not call (node's fetch sends no Origin, like
    // curl), so the page and the screenshot show one.
    const queued = await fetch(`${base}/_emulator/faults`, {
      method: 'POST', body: JSON.stringify({ route: '/user', status: 503, times: 2 }),
    });
    check(queued.status === 201, `a fault is queued (${queued.status})`);

    await page.goto(`${base}/_emulator/`);
    check((await page.textContent('h1')).includes('uitid-emulator'), 'the dashboard renders');
    check((await page.textContent('#faults')).includes('status 503'), 'it lists the pending fault');
    check((await page.textContent('#users')).includes('stiksels'), 'it lists the users');
    check((await page.textContent('#journal')).includes('GET /refresh'), 'the journal shows the refresh');
    const row = `#refresh-token-${id}`;
    await clickAndReload(page, `${row} button[data-revoke]`);
    check(await page.getAttribute(row, 'class') === 'revoked', 'after Revoke and the reload, the row shows it revoked');
    check(await page.$(`${row} button`) === null, 'and has no button any more');
    const refused = await refresh(token);
    check(refused.status === 400 && refused.body === 'invalid_grant: Unknown or invalid refresh token.',
      `/refresh with the revoked token answers invalid_grant (${refused.status} ${refused.body})`);

    const earlier = await clock(page);
    await page.fill('#advance', '1h');
    await clickAndReload(page, '#advance-form button');
    const later = await clock(page);
    check(later.offset - earlier.offset === 3600, `Advance 1h moved the offset by an hour (${earlier.offset} -> ${later.offset})`);
    check(later.now - earlier.now >= 3600 && later.now - earlier.now < 3660, `and the shown now by an hour (${later.now - earlier.now} s)`);
    check((await page.textContent('#clock-offset')).trim() === '+1h', 'the offset reads +1h');

    check(errors.length === 0, `no console or CSP errors (${JSON.stringify(errors)})`);
    check(elsewhere.length === 0, `nothing loaded from another origin (${JSON.stringify(elsewhere)})`);
    const screenshot = path.join(artifacts, 'dashboard.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);

    // Last, because the refused request logs a console error on purpose.
    await page.fill('#advance', 'soon');
    await page.click('#advance-form button');
    await page.waitForSelector('#status:not([hidden])');
    check((await page.textContent('#status')).includes('is not a duration'), 'a bad duration shows the error and no reload');
    const json = await (await fetch(`${base}/_emulator/clock`)).json();
    check(json.offset === later.offset, 'and the clock did not move');
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
