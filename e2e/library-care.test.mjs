// Keeping a library, end to end in Chromium against the local stack: a heart
// from the lightbox (and `f`) puts a photo in Favorites; a selection is
// archived (out of the timeline, still a favourite) and moved to the trash,
// with Undo; the trash says how long each photo has left, restores them where
// they were, and empties after a confirmation; and the purge, run with its
// clock moved 31 days on (`shoebox-local purge-trash --as-of`), deletes what
// has been in the trash that long, files and all. Desktop and 390×844.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const run = promisify(execFile);

const tileIds = (page) =>
  page.getByTestId('photo-tile').evaluateAll((els) => els.map((el) => el.getAttribute('href').split('/').pop()));
const tile = (page, id) => page.locator(`[data-testid=photo-tile][href$="/photo/${id}"]`);

describe('favorites, archive and trash', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let page;
  let problems;
  /** The uploaded photos' ids, newest first. */
  let ids;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    const names = (await readdir(join(corpus, 'real'))).filter((name) => name.endsWith('.jpg')).sort().slice(0, 6);
    await page.getByTestId('upload-input').setInputFiles(names.map((name) => join(corpus, 'real', name)));
    await page.getByRole('heading', { name: '6 photos backed up' }).waitFor({ timeout: 120_000 });
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(5).waitFor();
    ids = await tileIds(page);
    assert.equal(ids.length, 6);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const tabCount = async (view) => Number(await page.getByTestId(`view-tab-${view}`).locator('.view-count').innerText());

  test('a heart from the lightbox, or f, puts a photo in Favorites', async () => {
    await tile(page, ids[0]).click();
    await page.getByTestId('lightbox-image').waitFor();
    const heart = page.getByTestId('favorite-button');
    assert.equal(await heart.getAttribute('aria-pressed'), 'false');
    await heart.click();
    await page.waitForFunction(() => document.querySelector('[data-testid=favorite-button]')?.getAttribute('aria-pressed') === 'true');
    // The next photo, by key.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photo/${ids[1]}`);
    await page.getByTestId('lightbox-image').waitFor();
    await page.keyboard.press('f');
    await page.waitForFunction(() => document.querySelector('[data-testid=favorite-button]')?.getAttribute('aria-pressed') === 'true');
    await page.keyboard.press('Escape');
    await page.getByTestId('lightbox').waitFor({ state: 'detached' });
    // Their tiles show the heart at once.
    await tile(page, ids[0]).getByTestId('favorite-badge').waitFor();
    await tile(page, ids[1]).getByTestId('favorite-badge').waitFor();
    assert.equal(await tile(page, ids[2]).getByTestId('favorite-badge').count(), 0);

    await page.getByTestId('view-tab-favorites').click();
    await page.waitForURL('**/favorites');
    await page.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(page), ids.slice(0, 2));
    assert.equal(await tabCount('favorites'), 2);
    await screenshot(page, 'favorites');
    // A reload keeps them: the address is the view's own.
    await page.reload();
    await page.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(page), ids.slice(0, 2));
  });

  test('a selection is archived: out of the timeline, still in Favorites', async () => {
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(5).waitFor();
    for (const id of [ids[1], ids[2]]) {
      await tile(page, id).hover();
      await tile(page, id).getByRole('button', { name: /^Select / }).click();
    }
    await page.getByTestId('selection-bar').getByText('2 selected').waitFor();
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Archive' }).click();
    await page.getByTestId('undo-toast').getByText('2 photos archived.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-tile]').length === 4);
    assert.deepEqual(await tileIds(page), [ids[0], ids[3], ids[4], ids[5]]);
    await page.goto(`${stack.url}archive`);
    await page.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(page), [ids[1], ids[2]]);
    assert.equal(await tabCount('archive'), 2);
    assert.equal(await tabCount('timeline'), 4);
    await screenshot(page, 'archive');
    await page.goto(`${stack.url}favorites`);
    await page.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(page), ids.slice(0, 2), 'an archived favourite is still a favourite');
    // Unarchived from the lightbox, back in the timeline.
    await page.goto(`${stack.url}archive/photo/${ids[2]}`);
    await page.getByTestId('lightbox-image').waitFor();
    await page.getByTestId('archive-button').getByText('Unarchive').click();
    await page.waitForURL((url) => url.pathname.startsWith('/archive'));
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(4).waitFor();
    assert.deepEqual(await tileIds(page), [ids[0], ids[2], ids[3], ids[4], ids[5]]);
  });

  test('moved to the trash with Undo; the trash tells the days left and restores where they were', async () => {
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(4).waitFor();
    for (const id of [ids[3], ids[4]]) {
      await tile(page, id).hover();
      await tile(page, id).getByRole('button', { name: /^Select / }).click();
    }
    await page.getByTestId('selection-delete').click();
    const toast = page.getByTestId('undo-toast');
    await toast.getByText('2 photos moved to the trash.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-tile]').length === 3);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-tile]').length === 5);
    // Again, and this time they stay in the trash.
    for (const id of [ids[3], ids[4]]) {
      await tile(page, id).hover();
      await tile(page, id).getByRole('button', { name: /^Select / }).click();
    }
    await page.getByTestId('selection-delete').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-tile]').length === 3);
    await page.getByTestId('view-tab-trash').click();
    await page.waitForURL('**/trash');
    await page.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(page), [ids[3], ids[4]]);
    assert.deepEqual(
      await page.getByTestId('days-left').allInnerTexts(),
      ['30 days', '30 days'],
    );
    await page.getByTestId('trash-header').getByText('deleted for good 30 days after').waitFor();

    // Restored from the lightbox: back in the timeline.
    await tile(page, ids[4]).click();
    await page.getByTestId('lightbox-image').waitFor();
    assert.equal(await page.getByTestId('favorite-button').count(), 0, 'no heart in the trash');
    await page.getByTestId('restore-button').click();
    await page.getByTestId('undo-toast').getByText('1 photo restored.').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-tile]').length === 1);
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(3).waitFor();
    assert.ok((await tileIds(page)).includes(ids[4]));
  });

  test('the trash on a phone, and the purge 31 days later deletes it for good', async () => {
    const phone = await browser.newContext(PHONE);
    const small = await phone.newPage();
    // The same session: the phone signs in as the same person.
    await small.goto(stack.url);
    await small.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(small, stack.firstUser);
    await small.goto(`${stack.url}trash`);
    await small.getByTestId('photo-tile').first().waitFor();
    await small.getByTestId('days-left').first().waitFor();
    // Every view's tab fits the phone's width.
    const lastTab = await small.getByTestId('view-tab-trash').boundingBox();
    assert.ok(lastTab.x + lastTab.width <= 390, `the Trash tab ends at ${lastTab.x + lastTab.width}`);
    await screenshot(small, 'trash-phone', { fullPage: false });
    // A selection's actions on the phone: a long press selects.
    await small.goto(stack.url);
    await small.getByTestId('photo-tile').first().waitFor();
    const first = await small.getByTestId('photo-tile').first().boundingBox();
    await small.mouse.move(first.x + 20, first.y + 20);
    await small.getByTestId('photo-tile').first().getByRole('button', { name: /^Select / }).click();
    await small.getByTestId('selection-bar').getByText('1 selected').waitFor();
    await screenshot(small, 'selection-phone', { fullPage: false });
    await phone.close();

    const originals = async () => {
      const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
      return readdir(join(stack.dataDir, 'store', 'media', 'u', users[0], 'o'));
    };
    assert.ok((await originals()).some((name) => name.startsWith(ids[3])), 'kept while in the trash');
    // 29 days on, nothing is due yet.
    const day = 24 * 3600 * 1000;
    const purge = (days) =>
      run(process.env.SHOEBOX_BIN, ['--data', stack.dataDir, 'purge-trash', '--as-of', new Date(Date.now() + days * day).toISOString()]);
    let { stdout } = await purge(29);
    assert.match(stdout, /Deleted 0 photos for good/);
    ({ stdout } = await purge(31));
    assert.match(stdout, /Deleted 1 photos for good/);
    assert.ok(!(await originals()).some((name) => name.startsWith(ids[3])), 'its original is gone from the store');
    await page.goto(`${stack.url}trash`);
    await page.getByRole('heading', { name: 'The trash is empty' }).waitFor();
    await page.goto(`${stack.url}photo/${ids[3]}`);
    await page.getByRole('heading', { name: 'This photo is not here' }).waitFor();
  });

  test('Empty trash asks first, then deletes everything in it for good', async () => {
    await page.goto(stack.url);
    // Left in the timeline: 0, 2, 4 and 5 (1 is archived, 3 was purged).
    await page.getByTestId('photo-tile').nth(3).waitFor();
    assert.deepEqual(await tileIds(page), [ids[0], ids[2], ids[4], ids[5]]);
    await tile(page, ids[5]).hover();
    await tile(page, ids[5]).getByRole('button', { name: /^Select / }).click();
    await page.getByTestId('selection-delete').click();
    await page.getByTestId('undo-toast').waitFor();
    await page.goto(`${stack.url}trash`);
    await page.getByTestId('photo-tile').first().waitFor();
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 1 photo for good?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByTestId('photo-tile').count(), 1, 'Cancel keeps it');
    await page.getByRole('button', { name: 'Empty trash' }).click();
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByRole('heading', { name: 'The trash is empty' }).waitFor();
    // The counts follow once they are fetched again.
    await page.waitForFunction(() => document.querySelector('[data-testid=view-tab-trash] .view-count')?.textContent === '0');
    const real = problems.filter((p) => !p.startsWith('request failed:') && !p.includes('Failed to load resource'));
    assert.deepEqual(real, [], 'no exceptions or errors logged');
  });
});
