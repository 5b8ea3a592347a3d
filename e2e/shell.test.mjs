// The app shell, as a person first meets it: against the real local stack, in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, screenshot, startStack, watchForProblems } from './harness.mjs';

describe('the app shell', () => {
  let stack;
  let browser;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('loads and shows the header and a welcome with a way to sign in, with no console errors', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    assert.equal(await page.locator('header .brand').innerText(), 'Shoebox');
    assert.ok(await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).isVisible());
    await screenshot(page, 'shell-desktop');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('fits a phone screen without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await screenshot(page, 'shell-phone');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a deep link opens the app, which shows its own not-found page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchForProblems(page);
    const response = await page.goto(new URL('/no/such/page', stack.url).href);
    assert.equal(response.status(), 200);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to your photos' }).click();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('when config.json fails the app says so, and "Try again" recovers', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let failing = true;
    await page.route('**/config.json', (route) =>
      failing ? route.fulfill({ status: 503, body: 'down for maintenance' }) : route.continue(),
    );
    await page.goto(stack.url);
    await page.getByRole('heading', { name: "Shoebox can't start" }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /could not hand out its settings/);
    await screenshot(page, 'startup-error');
    failing = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    await context.close();
  });

  test('the wasm arrives compressed, typed and cacheable forever; index.html is revalidated', async () => {
    const index = await fetch(stack.url, { headers: { 'accept-encoding': 'br' } });
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
    const html = await index.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
    const wasmPath = /href="(\/[^"]+_bg\.wasm)"/.exec(html)?.[1];
    assert.ok(wasmPath, 'index.html preloads the wasm');
    const wasm = await fetch(new URL(wasmPath, stack.url), { headers: { 'accept-encoding': 'br' } });
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal(wasm.headers.get('content-encoding'), 'br');
    assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });
});
