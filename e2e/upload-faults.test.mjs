// The upload queue when things go wrong, against the real local stack: the store
// failing and connections cut (faked in the browser's network layer), and the page
// reloaded mid-batch. Every photo must end committed exactly once, with all three
// of its files, and nothing extra left in the store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile, readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const run = promisify(execFile);

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function realPhotos(count) {
  const names = (await readdir(join(corpus, 'real'))).filter((name) => !name.startsWith('.')).sort().slice(0, count);
  return Promise.all(names.map(async (name) => {
    const path = join(corpus, 'real', name);
    return { name, path, sha256: sha256(await readFile(path)) };
  }));
}

describe('uploads that meet trouble', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let page;

  beforeEach(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
  });

  afterEach(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Every object in the store, as `folder/name`, for the one user. */
  async function storedObjects() {
    const root = join(stack.dataDir, 'store', 'media', 'u');
    const users = await readdir(root).catch(() => []);
    const objects = [];
    for (const user of users) {
      for (const folder of ['o', 't', 'w']) {
        for (const name of await readdir(join(root, user, folder)).catch(() => [])) objects.push(`${folder}/${name}`);
      }
    }
    return objects.sort();
  }

  /** Every photo is in the store with its three files and committed (a second upload finds it). */
  async function assertCommittedOnce(photos) {
    const objects = await storedObjects();
    assert.equal(objects.length, photos.length * 3, `three objects per photo, no more: ${objects.join(', ')}`);
    for (const photo of photos) {
      const original = join(stack.dataDir, 'store', 'media', 'u', (await readdir(join(stack.dataDir, 'store', 'media', 'u')))[0], 'o', photo.sha256);
      assert.equal(sha256(await readFile(original)), photo.sha256, photo.name);
      assert.ok(objects.includes(`t/${photo.sha256}.webp`) && objects.includes(`w/${photo.sha256}.webp`), photo.name);
    }
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    const headline = `0 photos backed up · ${photos.length} already there`;
    await page.getByRole('heading', { name: headline }).waitFor({ timeout: 120_000 });
  }

  test('the store failing twice and a cut connection are retried until every photo is in', async () => {
    const problems = watchForProblems(page);
    const photos = await realPhotos(6);
    let failures = 0;
    await page.route((url) => url.pathname.includes('/media/u/'), async (route) => {
      if (route.request().method() !== 'PUT' || failures >= 3) return route.continue();
      failures += 1;
      // Two 503s, then a connection reset mid-upload.
      if (failures <= 2) return route.fulfill({ status: 503, contentType: 'application/xml', body: '<Error><Code>SlowDown</Code></Error>' });
      return route.abort('connectionreset');
    });
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.getByRole('heading', { name: '6 photos backed up' }).waitFor({ timeout: 120_000 });
    assert.equal(failures, 3, 'the faults happened');
    await page.unroute((url) => url.pathname.includes('/media/u/'));
    await page.getByRole('button', { name: 'Clear' }).click();
    await assertCommittedOnce(photos);
    // The browser logs the faked failures themselves; nothing else may break.
    assert.deepEqual(problems.filter((problem) => !/503|ERR_CONNECTION_RESET|media\/u\//.test(problem)), []);
  });

  test('a PUT whose answer is lost after the store kept the file is not an error on retry', async () => {
    const problems = watchForProblems(page);
    const photos = await realPhotos(2);
    let lost = 0;
    const retried = [];
    page.on('response', (response) => {
      if (response.request().method() === 'PUT' && new URL(response.url()).pathname.includes('/media/u/')) {
        retried.push(response.status());
      }
    });
    await page.route((url) => url.pathname.includes('/media/u/') && url.pathname.includes('/o/'), async (route) => {
      if (route.request().method() !== 'PUT' || lost >= 1) return route.continue();
      lost += 1;
      // The store takes the whole original; then the connection drops before
      // the browser hears so.
      // (The page's body is a Blob, which Playwright does not hand on: send the
      // file's own bytes, as the page would have.)
      const photo = photos.find((candidate) => route.request().url().includes(candidate.sha256));
      const kept = await route.fetch({ postData: await readFile(photo.path) });
      assert.equal(kept.status(), 200, await kept.text());
      return route.abort('connectionreset');
    });
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.getByRole('heading', { name: '2 photos backed up' }).waitFor({ timeout: 120_000 });
    await page.unroute((url) => url.pathname.includes('/media/u/') && url.pathname.includes('/o/'));
    assert.equal(lost, 1, 'an answer was lost');
    // Every PUT is signed If-None-Match: *, so the retry finds the file there
    // and the store keeps it as it was.
    assert.ok(retried.includes(412), `the retry was told the file is there: ${retried.join(', ')}`);
    await page.getByRole('button', { name: 'Clear' }).click();
    await assertCommittedOnce(photos);
    assert.deepEqual(problems.filter((problem) => !/412|ERR_CONNECTION_RESET|media\/u\//.test(problem)), []);
  });

  test('a reload mid-batch resumes the queue and every photo ends committed once', async () => {
    const photos = await realPhotos(16);
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.locator('[data-testid=upload-row][data-state=done]').first().waitFor({ timeout: 60_000 });
    const doneBefore = await page.locator('[data-testid=upload-row][data-state=done]').count();
    assert.ok(doneBefore < photos.length, 'the reload comes mid-batch');
    await page.reload();
    await page.getByTestId('upload-panel').waitFor({ timeout: 30_000 });
    await screenshot(page, 'upload-resumed');
    await page.getByRole('heading', { name: /^\d+ photos? backed up/ }).waitFor({ timeout: 120_000 });
    const resumed = await page.locator('[data-testid=upload-row]').count();
    assert.ok(resumed > 0 && resumed <= photos.length - doneBefore + 4, `only unfinished files came back (${resumed})`);
    assert.equal(await page.locator('[data-testid=upload-row][data-state=failed]').count(), 0);

    await page.reload();
    await page.getByTestId('account-name').waitFor();
    await page.waitForTimeout(1_000);
    assert.equal(await page.getByTestId('upload-panel').count(), 0, 'a finished queue does not come back');
    await assertCommittedOnce(photos);
  });

  test('a reload in the middle of a 1 GB video resumes from the parts the store holds', async () => {
    // A real clip (moov first), then zeros to 1 GiB: 128 parts of 8 MiB.
    const path = join(stack.dataDir, 'VID_long.mp4');
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-t', '2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path]);
    await truncate(path, 1024 ** 3);
    const parts = 128;
    // The parts the store took (200), by phase: their numbers.
    const sent = { before: new Set(), after: new Set() };
    let phase = 'before';
    page.on('requestfinished', async (request) => {
      const url = new URL(request.url());
      if (request.method() !== 'PUT' || !url.searchParams.has('partNumber')) return;
      const status = (await request.response())?.status();
      if (status === 200) sent[phase].add(Number(url.searchParams.get('partNumber')));
    });
    await page.getByTestId('upload-input').setInputFiles(path);
    const deadline = Date.now() + 180_000;
    while (sent.before.size < 24 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(sent.before.size >= 24, `some parts went before the reload (${sent.before.size})`);
    phase = 'after';
    await page.reload();
    await page.getByTestId('upload-panel').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 300_000 }).catch(async (error) => {
      const rows = await page.getByTestId('upload-row').allTextContents();
      throw new Error(`${error.message}\nrows: ${rows.join(' | ')}\nparts: ${[...sent.before]} / ${[...sent.after]}\n${stack.logs().slice(-4000)}`);
    });
    const again = [...sent.after].filter((number) => sent.before.has(number));
    assert.deepEqual(again, [], 'no part the store held was sent again');
    // A part in flight at the reload may reach the store without the page
    // seeing its answer: it is in neither set, and rightly not sent again.
    const all = new Set([...sent.before, ...sent.after]);
    assert.ok(all.size >= parts - 4 && all.size <= parts, `every part was sent once (${all.size} seen)`);
    assert.ok(sent.after.size <= parts - 24, `after the reload only the rest went (${sent.after.size} parts)`);
    const stored = await storedObjects();
    const original = stored.find((name) => name.startsWith('o/'));
    const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
    const bytes = await readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], original));
    assert.equal(bytes.length, 1024 ** 3);
    assert.equal(sha256(bytes), sha256(await readFile(path)), 'the 1 GB video arrived byte for byte');
    await screenshot(page, 'upload-video-resumed');
  });

  test('an access token that stops working mid-batch is renewed and the batch goes on', async () => {
    const problems = watchForProblems(page);
    const photos = await realPhotos(10);
    let refused = 0;
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/') && response.status() === 401) refused += 1;
    });
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.locator('[data-testid=upload-row][data-state=done]').first().waitFor({ timeout: 60_000 });
    // Another tab stores a session whose access token the API will refuse (as a
    // revoked or early-expired token would be); this tab adopts it mid-batch.
    const other = await page.context().newPage();
    await other.goto(stack.url);
    await other.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('shoebox.session'));
      session.access_token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.bm90LWEtc2lnbmF0dXJl';
      localStorage.setItem('shoebox.session', JSON.stringify(session));
    });
    await page.getByRole('heading', { name: /^\d+ photos? backed up/ }).waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('[data-testid=upload-row][data-state=failed]').count(), 0);
    assert.ok(refused >= 1, 'the API did refuse the bad token');
    await page.getByRole('button', { name: 'Clear' }).click();
    await assertCommittedOnce(photos);
    assert.deepEqual(problems.filter((problem) => !/401/.test(problem)), []);
  });

  test('a photo the store keeps refusing fails with Retry, and Retry finishes it', async () => {
    const photos = await realPhotos(1);
    const down = (url) => url.pathname.includes('/media/u/');
    await page.route(down, (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 503, contentType: 'application/xml', body: '<Error><Code>ServiceUnavailable</Code></Error>' })
        : route.continue());
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.getByRole('heading', { name: '0 photos backed up · 1 failed' }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator('[data-testid=upload-row] .upload-state').textContent(), /tried again/);
    await screenshot(page, 'upload-retry');
    await page.unroute(down);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Clear' }).click();
    await assertCommittedOnce(photos);
  });
});
