// An original in Glacier Deep Archive, as its owner meets it in the
// lightbox, on a desktop and on a phone: instead of Download, "Restore
// original"; a dialog with the two speeds S3 offers, each with its wait and
// its price for this photo; the restore asked for at the speed chosen; then
// "Restoring, ready about …". Deep Archive is AWS-only: the API's answers
// are those lambda-index/tests/deep_archive.rs checks against a store double
// that answers as S3 does, put in the page's way here.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const OPTIONS = [
  { tier: 'standard', hours: 12, usd: 0.0042 },
  { tier: 'bulk', hours: 48, usd: 0.0006 },
];

describe('an original in deep archive', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let session;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    const name = (await readdir(join(corpus, 'real'))).filter((n) => !n.startsWith('.')).sort()[0];
    await page.getByTestId('upload-input').setInputFiles([join(corpus, 'real', name)]);
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 120_000 });
    session = await desktop.storageState();
    await desktop.close();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const [size, options] of [['desktop', { viewport: { width: 1280, height: 900 } }], ['phone', PHONE]]) {
    test(`on a ${size}: restore asked for in bulk, then the wait shown`, async () => {
      // The page's own requests only: what a service worker fetches for it,
      // Playwright's routes do not see.
      const context = await browser.newContext({ ...options, storageState: session, serviceWorkers: 'block' });
      const page = await context.newPage();
      const problems = watchForProblems(page);
      const asked = [];
      let readyAbout;
      // The photo as a Deep Archive stack answers it: no download, the ways back.
      await page.route(/\/api\/photos\/[0-9a-f]{64}$/, async (route) => {
        const response = await route.fetch();
        const photo = await response.json();
        delete photo.original_url;
        photo.archived = { state: 'archived', options: OPTIONS };
        await route.fulfill({ response, json: photo });
      });
      await page.route(/\/api\/photos\/[0-9a-f]{64}\/restore$/, async (route) => {
        asked.push(route.request().postDataJSON());
        const id = new URL(route.request().url()).pathname.split('/')[3];
        const response = await route.fetch({ method: 'GET', url: `${stack.url}api/photos/${id}`, postData: null });
        const photo = await response.json();
        delete photo.original_url;
        readyAbout = new Date(Date.now() + 48 * 3600 * 1000);
        photo.archived = { state: 'restoring', ready_about: readyAbout.toISOString() };
        await route.fulfill({ status: 200, json: photo });
      });
      await page.goto(stack.url);
      await page.getByTestId('photo-tile').first().click();
      await page.getByTestId('lightbox-image').waitFor();
      assert.equal(await page.getByTestId('download-original').count(), 0, 'no download that would fail');
      await page.getByTestId('restore-original').click();
      const dialog = page.getByRole('dialog', { name: 'Restore the original' });
      await dialog.getByText('Standard: ready within 12 hours, less than a cent').waitFor();
      const bulk = dialog.getByLabel('Bulk: ready within 48 hours, less than a cent');
      assert.ok(await bulk.isChecked(), 'the cheaper speed is the default');
      await screenshot(page, `deep-archive-restore-${size}`, { fullPage: false });
      await dialog.getByRole('button', { name: 'Restore' }).click();
      const note = page.getByTestId('restoring-original');
      await note.getByText(/^Restoring, ready about (Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d$/).waitFor();
      const expected = await page.evaluate((at) => new Date(at).getDate(), readyAbout.toISOString());
      assert.match(await note.textContent(), new RegExp(`ready about \\w{3} ${expected} `), 'on the device\'s clock');
      assert.deepEqual(asked, [{ tier: 'bulk' }]);
      assert.equal(await page.getByTestId('restore-original').count(), 0);
      await screenshot(page, `deep-archive-restoring-${size}`, { fullPage: false });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
