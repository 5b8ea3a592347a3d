// The bucket is the library, end to end: a user uploads photos, makes an
// album and shares it; Shoebox stops and its index is deleted; `shoebox-local
// rebuild-index` puts it back from the photo store alone; Shoebox starts again
// and the user sees the same timeline and album, the friend's link opens the
// same photos, and `shoebox-local verify` finds the index and the store agree.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const run = promisify(execFile);

/** `shoebox-local --data DIR ...args`: its exit code and what it printed. */
async function shoebox(dataDir, ...args) {
  try {
    const { stdout, stderr } = await run(process.env.SHOEBOX_BIN, ['--data', dataDir, ...args]);
    return { code: 0, said: stdout + stderr };
  } catch (error) {
    return { code: error.code, said: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

const tileIds = (on) => on.getByTestId('photo-tile').evaluateAll((els) => els.map((el) => el.getAttribute('href').split('/').pop()).sort());

describe('the index rebuilt from the photo store', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  /** The first run's user: a stack started again prints no password. */
  let owner;

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a deleted index is rebuilt: the timeline, the album and its link are as they were', async () => {
    stack = await startStack();
    const { dataDir, firstUser } = stack;
    owner = firstUser;
    browser = await launchBrowser();
    let context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    let page = await context.newPage();
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, firstUser);
    const names = (await readdir(join(corpus, 'real'))).filter((name) => !name.startsWith('.')).sort().slice(0, 4);
    await page.getByTestId('upload-input').setInputFiles(names.map((name) => join(corpus, 'real', name)));
    await page.getByRole('heading', { name: '4 photos backed up' }).waitFor({ timeout: 120_000 });
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').nth(3).waitFor();
    const timeline = await tileIds(page);
    assert.equal(timeline.length, 4);

    // An album of two, shared by link.
    const chosen = timeline.slice(0, 2);
    for (const id of chosen) {
      await page.locator(`[data-testid=photo-tile][href="/photo/${id}"] .tile-check`).click();
    }
    await page.getByRole('button', { name: 'Add to album' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 2 photos to an album' });
    await dialog.getByPlaceholder('Title').fill('Kept safe');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('album-note').getByRole('link', { name: 'Open album' }).click();
    await page.getByTestId('album-title').getByText('Kept safe').waitFor();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const share = page.getByRole('dialog', { name: 'Share “Kept safe”' });
    await share.getByRole('button', { name: 'Create link' }).click();
    const link = new URL(await share.getByTestId('share-url').inputValue());
    await context.close();

    // Shoebox stops, and its index is lost.
    await stack.stop({ keepData: true });
    for (const name of ['index.sqlite3', 'index.sqlite3-wal', 'index.sqlite3-shm']) {
      await rm(join(dataDir, name), { force: true });
    }
    const rebuilt = await shoebox(dataDir, 'rebuild-index');
    assert.equal(rebuilt.code, 0, rebuilt.said);
    assert.match(rebuilt.said, /Put back 4 photos \(0 were there already\), 1 albums \(0 were there already\) holding 2 photos, and 1 share links\./);

    // Started again over the same folder (on another port): all is there.
    stack = await startStack({ dataDir });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, firstUser);
    await page.getByTestId('photo-tile').nth(3).waitFor();
    await page.locator('[data-testid=photo-tile] img').nth(3).waitFor();
    assert.deepEqual(await tileIds(page), timeline, 'the same four photos');
    await screenshot(page, 'rebuilt-timeline-desktop', { fullPage: false });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Albums' }).click();
    const card = page.getByTestId('album-grid').getByRole('link', { name: /Kept safe/ });
    await card.getByText('2 photos').waitFor();
    await card.click();
    await page.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(page), [...chosen].sort(), 'the album holds its two');
    assert.deepEqual(problems, []);

    // The friend's link (the same token, at the new address) opens the album.
    const friendContext = await browser.newContext(PHONE);
    const friend = await friendContext.newPage();
    await friend.goto(new URL(link.pathname, stack.url).href);
    await friend.getByTestId('shared-title').getByText('Kept safe').waitFor();
    await friend.getByTestId('photo-tile').nth(1).waitFor();
    assert.deepEqual(await tileIds(friend), [...chosen].sort());
    await screenshot(friend, 'rebuilt-shared-album-phone', { fullPage: false });
    await friendContext.close();

    // The check agrees, while Shoebox runs.
    const checked = await shoebox(dataDir, 'verify');
    assert.equal(checked.code, 0, checked.said);
    assert.match(checked.said, /Checked 4 photos and 1 albums of 1 people; read \d+ bytes of originals\./);
    assert.match(checked.said, /The index and the bucket agree/);
  });

  test('a lost thumbnail is found by verify --repair and made again by the next visit', async () => {
    const { dataDir } = stack;
    const users = await readdir(join(dataDir, 'store', 'media', 'u'));
    const thumbs = join(dataDir, 'store', 'media', 'u', users[0], 't');
    const [lost] = (await readdir(thumbs)).sort();
    await rm(join(thumbs, lost));
    const found = await shoebox(dataDir, 'verify', '--quick');
    assert.equal(found.code, 1, found.said);
    assert.match(found.said, /its thumbnail is missing$/m);
    const queued = await shoebox(dataDir, 'verify', '--quick', '--repair');
    assert.equal(queued.code, 0, queued.said);
    assert.match(queued.said, /its thumbnail is missing \(to be made again by the next browser to open Shoebox\)/);

    // The owner opens Shoebox: the browser makes it again from the original.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    // It asks what is lost, makes it, and asks again (nothing, this time).
    let asked = 0;
    page.on('response', (response) => { if (new URL(response.url()).pathname === '/api/previews/wanted') asked += 1; });
    const done = page.waitForResponse((response) => /\/api\/photos\/[0-9a-f]{64}\/previews\/done$/.test(new URL(response.url()).pathname), { timeout: 60_000 });
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, owner);
    assert.equal((await done).status(), 204);
    assert.ok((await readdir(thumbs)).includes(lost), 'the thumbnail is back where it was');
    for (let waited = 0; asked < 2 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(asked, 2, 'asked again once done, and stopped');
    await page.reload();
    await page.locator('[data-testid=photo-tile] img').nth(3).waitFor();
    const broken = await page.locator('[data-testid=photo-tile] img').evaluateAll((images) => images.filter((image) => image.complete && image.naturalWidth === 0).length);
    assert.equal(broken, 0, 'every thumbnail shows');
    assert.deepEqual(problems.filter((problem) => !/status of 404/.test(problem) && !problem.includes(lost)), []);
    await context.close();
    const checked = await shoebox(dataDir, 'verify');
    assert.equal(checked.code, 0, checked.said);
  });
});
