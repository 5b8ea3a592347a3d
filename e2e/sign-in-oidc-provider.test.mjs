// The same sign-in flow, against an independent OpenID provider (oidc-provider)
// configured with Cognito's paths instead of our built-in one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, screenshot, startStack, watchForProblems } from './harness.mjs';
import { freePort, startProvider } from './oidc-provider.mjs';

const CLIENT_ID = 'shoebox-e2e';

describe('signing in with an independent OpenID provider', () => {
  let stack;
  let provider;
  let browser;

  before(async () => {
    const providerPort = await freePort();
    const issuer = `http://127.0.0.1:${providerPort}`;
    stack = await startStack({ extraArgs: ['--issuer', issuer, '--client-id', CLIENT_ID] });
    provider = await startProvider({ port: providerPort, clientId: CLIENT_ID, appUrl: stack.url });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await provider?.stop();
    await stack?.stop();
  });

  test('sign in, stay signed in across a reload, sign out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();

    // The provider's own pages: any login and password, then consent.
    await page.locator('input[name="login"]').fill('ada');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const me = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/me');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.equal((await me).status(), 200, 'our API accepts the provider\'s access token');
    await page.getByTestId('account-name').getByText('ada', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
    await screenshot(page, 'signed-in-oidc-provider');

    await page.reload();
    await page.getByTestId('account-name').getByText('ada', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks before ending its own session, then sends the browser back.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    assert.equal(new URL(page.url()).origin, new URL(stack.url).origin);
    assert.equal(await page.evaluate(() => localStorage.getItem('shoebox.session')), null);
    const appProblems = problems.filter((problem) => problem.includes(new URL(stack.url).host));
    assert.deepEqual(appProblems, []);
    await context.close();
  });
});
