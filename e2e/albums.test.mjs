// Albums and share links end to end, on a phone-sized screen: a user selects
// photos, puts them in a new album, shares it by link; a friend with no
// account opens the link in a fresh browser and sees exactly those photos and
// nothing else; the user turns the link off and the friend's page says the
// link is not available, as it does for a link that never existed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, photosWithoutCors, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/**
 * Problems other than the 404 a turned-off link's page gets from the API
 * (Chromium logs it), and a download's navigation, which Chromium reports as
 * aborted once it becomes a download.
 */
const real = (problems) => problems.filter((problem) => !/status of 404/.test(problem)
  && !(problem.startsWith('request failed:') && problem.includes('response-content-disposition=attachment') && problem.endsWith('net::ERR_ABORTED')));

describe('albums and share links', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let phone;
  let page;
  let problems;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    // Sign in and upload at desktop size (the provider's form), then carry
    // the session to a phone.
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const setup = await desktop.newPage();
    await setup.goto(stack.url);
    await setup.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(setup, stack.firstUser);
    const names = (await readdir(join(corpus, 'real'))).filter((name) => !name.startsWith('.')).sort().slice(0, 6);
    await setup.getByTestId('upload-input').setInputFiles(names.map((name) => join(corpus, 'real', name)));
    await setup.getByRole('heading', { name: '6 photos backed up' }).waitFor({ timeout: 120_000 });
    phone = await browser.newContext({ ...PHONE, storageState: await desktop.storageState() });
    await desktop.close();
    page = await phone.newPage();
    problems = watchForProblems(page);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const tileIds = (on) => on.getByTestId('photo-tile').evaluateAll((els) => els.map((el) => el.getAttribute('href').split('/').pop()));

  test('a user shares an album from a phone; a friend without an account opens it; turning it off closes it', async () => {
    await page.goto(stack.url);
    // The months fill in as they load: wait for all six.
    await page.getByTestId('photo-tile').nth(5).waitFor();
    const all = await tileIds(page);
    assert.equal(all.length, 6);
    const chosen = all.slice(1, 4);

    // Select three photos and put them in a new album.
    for (const id of chosen) {
      await page.locator(`[data-testid=photo-tile][href="/photo/${id}"] .tile-check`).click();
    }
    await page.getByTestId('selection-bar').getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Add to album' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 3 photos to an album' });
    await dialog.getByPlaceholder('Title').fill('Beach day');
    await screenshot(page, 'add-to-album-phone', { fullPage: false });
    await dialog.getByRole('button', { name: 'Create' }).click();
    const note = page.getByTestId('album-note');
    await note.getByText('Added 3 photos to “Beach day”.').waitFor();
    await note.getByRole('link', { name: 'Open album' }).click();

    // The album: its title, its count, exactly those photos.
    await page.getByTestId('album-title').getByText('Beach day').waitFor();
    await page.getByText('3 photos', { exact: true }).waitFor();
    await page.getByTestId('photo-tile').nth(2).waitFor();
    assert.deepEqual((await tileIds(page)).sort(), [...chosen].sort());
    await screenshot(page, 'album-phone', { fullPage: false });

    // The album is listed with its count.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Albums' }).click();
    const card = page.getByTestId('album-grid').getByRole('link', { name: /Beach day/ });
    await card.getByText('3 photos').waitFor();
    await screenshot(page, 'albums-phone', { fullPage: false });
    await card.click();

    // Share it: a link that does not allow downloads.
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const share = page.getByRole('dialog', { name: 'Share “Beach day”' });
    await share.getByRole('button', { name: 'Create link' }).click();
    const url = await share.getByTestId('share-url').inputValue();
    assert.match(url, new RegExp(`^${stack.url}s/[A-Za-z0-9_-]{22}$`), url);
    await screenshot(page, 'share-dialog-phone', { fullPage: false });
    await share.getByRole('button', { name: 'Done' }).click();

    // A friend, on another phone, with no account and no session.
    const friendContext = await browser.newContext(PHONE);
    const friend = await friendContext.newPage();
    const friendProblems = watchForProblems(friend);
    const answers = [];
    friend.on('response', async (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/')) answers.push({ path: new URL(response.url()).pathname, status: response.status(), body: await response.text().catch(() => '') });
    });
    await friend.goto(url);
    await friend.getByTestId('shared-title').getByText('Beach day').waitFor();
    await friend.getByTestId('photo-tile').nth(2).waitFor();
    assert.deepEqual((await tileIds(friend)).sort(), [...chosen].sort(), 'exactly the album, nothing else');
    assert.equal(await friend.title(), 'Beach day · Shoebox');
    assert.equal(await friend.getByTestId('account-name').count(), 0, 'nobody is signed in');
    assert.equal(await friend.locator('.tile-check').count(), 0, 'a visitor does not select');
    const publicAnswers = answers.filter((answer) => answer.path.startsWith('/api/public/'));
    assert.ok(publicAnswers.length > 0 && publicAnswers.every((answer) => answer.status === 200));
    assert.ok(answers.every((answer) => answer.path.startsWith('/api/public/') || answer.path === '/api/health'), `only the public API: ${answers.map((a) => a.path)}`);
    for (const id of all.filter((id) => !chosen.includes(id))) {
      assert.ok(!publicAnswers.some((answer) => answer.body.includes(id)), `photo ${id} is not in the album's answer`);
    }
    for (const answer of publicAnswers) {
      const album = JSON.parse(answer.body);
      assert.deepEqual(Object.keys(album).sort(), ['allow_download', 'count', 'items', 'next_cursor', 'show_location', 'title']);
      assert.equal(album.show_location, false);
      assert.ok(!answer.body.includes(`"${stack.firstUser.username}"`), 'the owner\'s name is not in it');
      // `metadata` must be there for `metadata.gps` missing to mean anything.
      assert.ok(album.items.every((photo) => photo.metadata != null && photo.metadata.gps == null), 'the EXIF is shown, without where');
      assert.ok(album.items.every((photo) => photo.original_url == null), 'no original');
      assert.ok(!answer.body.includes('"gps":{') && !answer.body.includes('latitude'), 'no location anywhere in the answer');
    }
    await screenshot(friend, 'shared-album-phone', { fullPage: false });

    // The friend opens a photo: no download (the link does not allow it), no delete.
    await friend.getByTestId('photo-tile').first().click();
    await friend.getByTestId('lightbox-image').waitFor();
    assert.deepEqual(await photosWithoutCors(friend), [], 'the lightbox asks for photos with CORS, as the tiles do');
    assert.equal(await friend.getByTestId('download-original').count(), 0);
    assert.equal(await friend.getByRole('button', { name: 'Delete' }).count(), 0);
    await screenshot(friend, 'shared-lightbox-phone', { fullPage: false });
    await friend.getByRole('button', { name: 'Close' }).click();

    // The owner turns the link off from Shared links.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Shared' }).click();
    const row = page.getByTestId('share-row').filter({ hasText: 'Beach day' });
    await row.getByText(url).waitFor();
    await screenshot(page, 'shared-links-phone', { fullPage: false });
    await row.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('dialog', { name: 'Turn off the link to “Beach day”?' }).getByRole('button', { name: 'Turn off' }).click();
    await page.getByText('No shared links.', { exact: false }).waitFor();

    // The friend's page, reloaded: not available. A link that never was says the same.
    await friend.reload();
    await friend.getByTestId('link-unavailable').getByText('This link is not available').waitFor();
    assert.equal(await friend.getByTestId('photo-tile').count(), 0);
    await screenshot(friend, 'shared-link-unavailable-phone', { fullPage: false });
    await friend.goto(url.replace(/s\/.*$/, 's/AAAAAAAAAAAAAAAAAAAAAA'));
    await friend.getByTestId('link-unavailable').getByText('This link is not available').waitFor();
    assert.deepEqual(real(friendProblems), []);
    await friendContext.close();

    // The album and its photos are still the owner's.
    await page.goto(`${stack.url}albums`);
    await page.getByTestId('album-grid').getByText('3 photos').waitFor();
    await page.getByTestId('album-grid').locator('img').first().waitFor();
    assert.deepEqual(await photosWithoutCors(page), [], 'album covers are asked for with CORS');
    assert.deepEqual(real(problems), []);
  });

  test('in an album a photo is taken out, the album renamed, then deleted; its photos stay', async () => {
    await page.goto(`${stack.url}albums`);
    await page.getByTestId('album-grid').getByRole('link', { name: /Beach day/ }).click();
    await page.getByTestId('photo-tile').nth(2).waitFor();
    const before = await tileIds(page);

    // The lightbox in an album takes a photo out of it (it stays in the timeline).
    await page.getByTestId('photo-tile').first().click();
    await page.getByTestId('lightbox-image').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Delete', exact: true }).count(), 0, 'no delete from an album');
    await screenshot(page, 'album-lightbox-phone', { fullPage: false });
    await page.getByRole('button', { name: 'Remove from album' }).click();
    await page.getByText('2 photos', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-tile]').length === 2);

    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename album' });
    await rename.getByRole('textbox').fill('Beach day, 2013');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await page.getByTestId('album-title').getByText('Beach day, 2013').waitFor();

    await page.getByRole('button', { name: 'Delete album' }).click();
    await page.getByRole('dialog', { name: 'Delete “Beach day, 2013”?' }).getByRole('button', { name: 'Delete album' }).click();
    await page.getByRole('heading', { name: 'No albums yet' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Photos' }).click();
    await page.getByTestId('photo-tile').nth(5).waitFor();
    const timeline = await tileIds(page);
    assert.equal(timeline.length, 6, 'every photo is still in the timeline');
    assert.ok(before.every((id) => timeline.includes(id)));
    assert.deepEqual(real(problems), []);
  });

  test('sharing a selection makes an album of it; a link that shows the location and allows downloads gives the originals byte for byte', async () => {
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(5).waitFor();
    const chosen = (await tileIds(page)).slice(0, 2);
    for (const id of chosen) {
      await page.locator(`[data-testid=photo-tile][href="/photo/${id}"] .tile-check`).click();
    }
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Share' }).click();
    const naming = page.getByRole('dialog', { name: 'Share as a new album' });
    assert.match(await naming.getByRole('textbox').inputValue(), /^[A-Z][a-z]+ \d{4}$/, 'the newest photo\'s month is suggested');
    await naming.getByRole('textbox').fill('For the printer');
    await naming.getByRole('button', { name: 'Next' }).click();
    const share = page.getByRole('dialog', { name: 'Share “For the printer”' });
    await share.getByLabel('Let people with the link download the photos').check();
    await share.getByLabel('Show where the photos were taken').check();
    await share.getByTestId('share-terms').getByText('They can download the originals, which hold where each photo was taken.').waitFor();
    await share.getByLabel('The link works').selectOption({ label: '7 days' });
    await share.getByRole('button', { name: 'Create link' }).click();
    const url = await share.getByTestId('share-url').inputValue();
    await share.getByText('Originals can be downloaded, with where they were taken.').waitFor();
    await share.getByText(/It stops working on /).waitFor();
    await share.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByTestId('selection-bar').count(), 0, 'the selection is done with');

    const friendContext = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const friend = await friendContext.newPage();
    const friendProblems = watchForProblems(friend);
    await friend.goto(url);
    await friend.getByTestId('shared-title').getByText('For the printer').waitFor();
    await friend.getByText('2 photos · originals can be downloaded').waitFor();
    assert.deepEqual((await tileIds(friend)).sort(), [...chosen].sort());
    await friend.getByTestId('photo-tile').first().click();
    const [download] = await Promise.all([
      friend.waitForEvent('download'),
      friend.getByTestId('download-original').click(),
    ]);
    const bytes = await readFile(await download.path());
    const id = friend.url().split('/').pop();
    assert.equal(createHash('sha256').update(bytes).digest('hex'), id, 'the original, untouched');
    assert.deepEqual(real(friendProblems), []);
    await friendContext.close();

    // Listed with its terms.
    await page.goto(`${stack.url}shared`);
    const row = page.getByTestId('share-row').filter({ hasText: 'For the printer' });
    await row.getByText(/Works until .* Originals can be downloaded, with where they were taken\./).waitFor();
  });

  test('a link that allows downloads but keeps the location private gives large copies without it, never the original', async () => {
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(5).waitFor();
    const chosen = (await tileIds(page)).slice(2, 3);
    await page.locator(`[data-testid=photo-tile][href="/photo/${chosen[0]}"] .tile-check`).click();
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Share' }).click();
    const naming = page.getByRole('dialog', { name: 'Share as a new album' });
    await naming.getByRole('textbox').fill('Copies only');
    await naming.getByRole('button', { name: 'Next' }).click();
    const share = page.getByRole('dialog', { name: 'Share “Copies only”' });
    await share.getByLabel('Let people with the link download the photos').check();
    await share.getByTestId('share-terms').getByText(/large copies .* without where the photos were taken/).waitFor();
    await screenshot(page, 'share-dialog-copies', { fullPage: false });
    await share.getByRole('button', { name: 'Create link' }).click();
    const url = await share.getByTestId('share-url').inputValue();
    await share.getByText('Large copies can be downloaded, without where they were taken.').waitFor();
    await share.getByRole('button', { name: 'Done' }).click();

    const friendContext = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const friend = await friendContext.newPage();
    const answers = [];
    friend.on('response', async (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/public/')) answers.push(await response.text());
    });
    await friend.goto(url);
    await friend.getByText('1 photo · photos can be downloaded').waitFor();
    await friend.getByTestId('photo-tile').first().click();
    assert.equal(await friend.getByTestId('download-original').count(), 0);
    const [download] = await Promise.all([
      friend.waitForEvent('download'),
      friend.getByTestId('download-copy').click(),
    ]);
    const bytes = await readFile(await download.path());
    assert.match(download.suggestedFilename(), /\.webp$/, 'saved as the copy it is');
    assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WEBP', 'the web view');
    assert.notEqual(createHash('sha256').update(bytes).digest('hex'), chosen[0], 'not the original');
    for (const marker of ['Exif', 'XMP ', 'http://ns.adobe.com/xap']) {
      assert.equal(bytes.indexOf(marker), -1, `no ${marker} in the copy`);
    }
    assert.ok(answers.length > 0);
    for (const answer of answers) {
      assert.ok(!answer.includes('/o/'), 'no original\'s URL in what the link serves');
      assert.ok(!answer.includes('"gps":{'), 'no location in what the link serves');
    }
    await friendContext.close();
  });
});
