// Signing in as a person does, against the real local stack and its built-in
// provider: the login page, the way back, staying signed in, signing out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const storedSession = (page) => page.evaluate(() => localStorage.getItem('shoebox.session'));

describe('signing in with the built-in provider', () => {
  let stack;
  let browser;

  before(async () => {
    stack = await startStack();
    assert.ok(stack.firstUser, 'the first run prints a user and password');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('sign in, land on the gallery, stay signed in across reloads and tabs, sign out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();

    const started = performance.now();
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await screenshot(page.context().pages()[0], 'login-page');
    await signIn(page, stack.firstUser);
    const roundTrip = performance.now() - started;
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(new URL(page.url()).search, '', 'the code does not stay in the address bar');
    console.log(`sign-in round trip (click to gallery, incl. typing): ${roundTrip.toFixed(0)} ms`);
    await screenshot(page, 'signed-in');

    await page.reload();
    await page.getByTestId('account-name').getByText(stack.firstUser.username).waitFor();
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();

    const tab = await context.newPage();
    await tab.goto(stack.url);
    await tab.getByTestId('account-name').getByText(stack.firstUser.username).waitFor();

    // Sign-out revokes the refresh token, then leaves through the provider's logout,
    // which sends the browser back to the app.
    const revoked = page.waitForResponse((response) => new URL(response.url()).pathname === '/oauth2/revoke');
    const back = page.waitForRequest((request) => request.isNavigationRequest() && new URL(request.url()).pathname === '/logout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal((await revoked).status(), 200);
    await back;
    await page.waitForLoadState('load');
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    assert.equal(await storedSession(page), null, 'nothing of the session is left behind');
    // The other tab follows without a reload.
    await tab.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    await tab.close();
    await page.reload();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('sign-in returns the user to the page they were on', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('/somewhere/deep?view=1', stack.url).href);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    const url = new URL(page.url());
    assert.equal(url.pathname + url.search, '/somewhere/deep?view=1');
    await context.close();
  });

  test('a wrong password is said on the login page and nothing is signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill(stack.firstUser.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong username or password.').waitFor();
    await screenshot(page, 'login-wrong-password');
    // The same form still works with the right password.
    await signIn(page, stack.firstUser);
    await context.close();
  });

  test('a cancelled or replayed sign-in gets a clear page with a way back', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('/auth/callback?error=access_denied&state=whatever', stack.url).href);
    await page.getByRole('heading', { name: 'Sign-in was cancelled' }).waitFor();
    await screenshot(page, 'sign-in-cancelled');
    await page.getByRole('link', { name: 'Back to Shoebox' }).click();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();

    await page.goto(new URL('/auth/callback?code=stolen-code&state=forged', stack.url).href);
    await page.getByRole('heading', { name: 'This sign-in link has already been used' }).waitFor();
    assert.equal(await storedSession(page), null);
    await context.close();
  });

  test('a revoked session asks to sign in again without leaving the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    // Revoke the refresh token behind the app's back and make the access token
    // look expired: the next renewal is refused by the provider.
    await page.evaluate(async () => {
      const session = JSON.parse(localStorage.getItem('shoebox.session'));
      const body = new URLSearchParams({ token: session.refresh_token, client_id: 'shoebox-local' });
      await fetch('/oauth2/revoke', { method: 'POST', body });
      session.expires_at_ms = Date.now() - 1000;
      localStorage.setItem('shoebox.session', JSON.stringify(session));
    });
    await page.reload();
    await page.getByRole('status').getByText('Your session has ended').waitFor();
    assert.equal(new URL(page.url()).pathname, '/', 'still on the page, not thrown out');
    await screenshot(page, 'session-ended');
    await page.getByRole('status').getByRole('button', { name: 'Sign in again' }).click();
    await signIn(page, stack.firstUser);
    assert.equal(await page.getByRole('status').count(), 0, 'the banner is gone');
    await context.close();
  });
});
