// The installable app: Chromium's own verdict on installing it, the shell and
// kept thumbnails with the network gone, photos shared to it from another app
// (through the service worker's share target), and a new build deployed to the
// running stack offered as an update rather than changing under the user.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { launchProfile, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const run = promisify(execFile);
const corpus = await photoCorpus();

/** A PNG's width and height, from its header. */
const pngSize = (bytes) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

/** Records the page's requests for upload targets (each a step towards an upload). */
function countUploadRequests(page) {
  const requests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/uploads') requests.push(request.url());
  });
  return requests;
}

/** How many files shared to the app wait in the worker's IndexedDB store. */
function sharedWaiting(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('shoebox-uploads');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction('shared').objectStore('shared').count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
  }));
}

/** Adds a person to the running stack, as `cargo xtask user add` does. */
async function addUser(stack, name) {
  const { stdout } = await run(process.env.SHOEBOX_BIN, ['--data', stack.dataDir, 'user', 'add', name]);
  const password = /Their password: (\S+)/.exec(stdout)?.[1];
  assert.ok(password, stdout);
  return { username: name, password };
}

/**
 * A page on another site that, as soon as it opens, posts a photo to the
 * app's share target: what any site the person visits could do.
 */
async function hostileSite(shareTarget, photo) {
  const bytes = (await readFile(photo)).toString('base64');
  const html = `<!DOCTYPE html><title>Free wallpapers</title>
<form method="post" enctype="multipart/form-data" action="${shareTarget}"><input type="file" name="photos" multiple></form>
<script>
  const raw = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
  const files = new DataTransfer();
  files.items.add(new File([raw], 'planted.jpg', { type: 'image/jpeg' }));
  document.querySelector('input').files = files.files;
  addEventListener('load', () => setTimeout(() => document.forms[0].submit(), 100));
</script>`;
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('the installable app', { skip: corpus ? false : NO_CORPUS }, () => {
  let dist;
  let profile;
  let stack;
  let context;
  let page;
  let photos;

  before(async () => {
    // A copy of the build, so a test can deploy a new one under the running stack.
    dist = await mkdtemp(join(tmpdir(), 'shoebox-dist-'));
    await cp(process.env.SHOEBOX_DIST, dist, { recursive: true });
    stack = await startStack({ dist });
    profile = await mkdtemp(join(tmpdir(), 'shoebox-profile-'));
    context = await launchProfile(profile, { viewport: { width: 1280, height: 900 } });
    page = context.pages()[0] ?? await context.newPage();
    const names = (await readdir(join(corpus, 'real'))).filter((name) => !name.startsWith('.')).sort();
    photos = names.map((name) => join(corpus, 'real', name));
  });

  after(async () => {
    await context?.close();
    await stack?.stop();
    for (const dir of [dist, profile]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  const controlled = () => page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const imagesLoaded = () => page.getByTestId('photo-tile').locator('img').evaluateAll((images) => images.map((image) => image.complete && image.naturalWidth > 0));

  test('Chromium finds nothing missing to install it; the manifest parses and its icons load', async () => {
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    await controlled();
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const { errors, data } = await cdp.send('Page.getAppManifest');
    assert.deepEqual(errors, [], 'the manifest parses');
    const manifest = JSON.parse(data);
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.share_target.method, 'POST');
    const purposes = new Set();
    for (const icon of [...manifest.icons, ...manifest.screenshots]) {
      const answer = await fetch(new URL(icon.src, stack.url));
      assert.equal(answer.status, 200, icon.src);
      assert.equal(answer.headers.get('content-type'), 'image/png', icon.src);
      assert.equal(pngSize(Buffer.from(await answer.arrayBuffer())).join('x'), icon.sizes, icon.src);
      if (icon.purpose) purposes.add(`${icon.purpose} ${icon.sizes}`);
    }
    assert.deepEqual([...purposes].sort(), ['any 192x192', 'any 512x512', 'maskable 192x192', 'maskable 512x512']);
    const apple = await fetch(new URL('/icons/apple-touch-icon.png', stack.url));
    assert.equal(pngSize(Buffer.from(await apple.arrayBuffer())).join('x'), '180x180');
    assert.deepEqual(problems, []);
  });

  test('offline, a reload shows the shell, the kept thumbnails and says so; back online it carries on', async () => {
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    await page.getByTestId('upload-input').setInputFiles(photos.slice(0, 3));
    await page.getByRole('heading', { name: '3 photos backed up' }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Clear' }).click();
    // Thumbnails fetched under the worker are kept.
    await page.reload();
    await controlled();
    await page.getByTestId('photo-tile').nth(2).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=photo-tile] img')].every((image) => image.complete && image.naturalWidth > 0));

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline').waitFor();
    await page.getByTestId('photo-tile').nth(2).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=photo-tile] img')].every((image) => image.complete));
    assert.deepEqual(await imagesLoaded(), [true, true, true], 'the thumbnails come from the device');
    await screenshot(page, 'offline', { fullPage: false });

    await context.setOffline(false);
    await page.getByTestId('offline').waitFor({ state: 'detached' });
    // No reload: an upload goes through and shows up.
    await page.getByTestId('upload-input').setInputFiles(photos.slice(3, 4));
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('photo-tile').nth(3).waitFor();
  });

  test('photos shared to the app wait for sign-in, then for "Back up"; signing out leaves nothing cached', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    await page.waitForFunction(async () => !(await caches.keys()).some((name) => name === 'shoebox-thumbs' || name.startsWith('shoebox-data')));
    await controlled();

    // What the share sheet sends: a multipart POST to the manifest's action.
    const shared = await Promise.all(photos.slice(4, 6).map(async (path) => ({ name: path.split('/').pop(), bytes: (await readFile(path)).toString('base64') })));
    const landed = await page.evaluate(async (files) => {
      const form = new FormData();
      for (const { name, bytes } of files) {
        const raw = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
        form.append('photos', new File([raw], name, { type: 'image/jpeg' }));
      }
      const answer = await fetch('/share-target', { method: 'POST', body: form });
      return answer.url;
    }, shared);
    assert.equal(new URL(landed).search, '?shared=2', 'the worker sends the app to its queue');
    await page.goto(landed);
    const waiting = page.getByTestId('shared-waiting');
    await waiting.getByText('2 photos shared to Shoebox. Sign in to choose whether to back them up.').waitFor();
    await screenshot(page, 'shared-waiting', { fullPage: false });
    await waiting.getByRole('button', { name: 'Sign in' }).click();
    const uploadRequests = countUploadRequests(page);
    await signIn(page, stack.firstUser);
    const prompt = page.getByTestId('shared-prompt');
    await prompt.getByRole('heading', { name: 'Back up 2 photos shared to Shoebox?' }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.shared-previews img')].filter((image) => image.complete && image.naturalWidth > 0).length === 2);
    assert.equal(uploadRequests.length, 0, 'nothing uploads before the person chooses');
    await prompt.getByRole('button', { name: 'Back up' }).click();
    await page.getByRole('heading', { name: '2 photos backed up' }).waitFor({ timeout: 120_000 });
    assert.equal(await sharedWaiting(page), 0, 'taken out of the worker\'s storage');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('photo-tile').nth(5).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the address is the app\'s again');
  });

  test('on a phone, Upload is within thumb reach: bottom right, above the tab bar', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(stack.url);
    await phone.getByTestId('photo-tile').first().waitFor();
    const upload = await phone.locator('.app-header .upload-button.primary').boundingBox();
    const tabs = await phone.getByRole('navigation', { name: 'Sections' }).boundingBox();
    assert.ok(upload.y > (844 * 2) / 3 && upload.x > 390 / 2, `where a thumb reaches: ${JSON.stringify(upload)}`);
    assert.ok(upload.y + upload.height <= tabs.y, 'not under the tab bar');
    assert.ok(tabs.y + tabs.height <= 844 && tabs.y >= 844 - 80, 'the tabs at the bottom of the screen');
    await screenshot(phone, 'phone-layout', { fullPage: false });
    await phone.close();
  });

  test('a new build deployed to the running stack is offered as an update, which a reload takes', async () => {
    await controlled();
    const shellCaches = () => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('shoebox-shell-')));
    const [before] = await shellCaches();
    assert.ok(before, 'the shell is kept');
    // The deploy: a new sw.js (a build writes a new version when any file changes).
    const worker = join(dist, 'sw.js');
    const source = await readFile(worker, 'utf8');
    const version = /const VERSION = '([0-9a-f]+)'/.exec(source)[1];
    await writeFile(worker, source.replace(`'${version}'`, "'0123456789abcdef'"));
    await rm(`${worker}.br`, { force: true });
    await rm(`${worker}.gz`, { force: true });
    // The app looks for a new build when it comes back to the screen, and now and then.
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration.update()));
    const prompt = page.getByTestId('update-available');
    await prompt.waitFor();
    // Nothing changed under the user yet: the new worker waits, the running shell stays.
    assert.ok(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null));
    assert.ok((await shellCaches()).includes(before));
    await screenshot(page, 'update-available', { fullPage: false });
    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await page.waitForFunction(async () => (await caches.keys()).includes('shoebox-shell-0123456789abcdef'));
    assert.deepEqual(await shellCaches(), ['shoebox-shell-0123456789abcdef'], 'the old shell is gone');
    await page.getByTestId('photo-tile').first().waitFor();
    assert.equal(await prompt.count(), 0);
  });

  test('a page on another site that posts a photo to the share target uploads nothing; "Cancel" drops it', async () => {
    await page.goto(stack.url);
    await controlled();
    await page.getByTestId('photo-tile').first().waitFor();
    const uploadRequests = countUploadRequests(page);
    const site = await hostileSite(new URL('/share-target', stack.url).href, photos[6]);
    try {
      // The person only opens the page; it submits itself.
      await page.goto(site.url);
      const prompt = page.getByTestId('shared-prompt');
      await prompt.getByRole('heading', { name: 'Back up 1 photo shared to Shoebox?' }).waitFor();
      await page.waitForTimeout(2_000);
      assert.equal(uploadRequests.length, 0, 'nothing is uploaded without "Back up"');
      assert.equal(await sharedWaiting(page), 1, 'it waits on the device, nowhere else');
      await screenshot(page, 'shared-prompt', { fullPage: false });
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(stack.url);
      await phone.getByTestId('shared-prompt').getByRole('button', { name: 'Cancel' }).waitFor();
      await screenshot(phone, 'shared-prompt-phone', { fullPage: false });
      await phone.close();

      await prompt.getByRole('button', { name: 'Cancel' }).click();
      await prompt.waitFor({ state: 'detached' });
      assert.equal(await sharedWaiting(page), 0, 'dropped from the worker\'s storage');
      await page.reload();
      await page.getByTestId('photo-tile').first().waitFor();
      await page.waitForTimeout(1_000);
      assert.equal(await page.getByTestId('shared-prompt').count(), 0, 'and not asked again');
      assert.equal(uploadRequests.length, 0);
    } finally {
      await site.close();
    }
  });

  test('offline, a second person on the same browser never gets what was kept for the first', async () => {
    // The first person's timeline pages, which the worker keeps.
    const firstPersonPages = [];
    const keepUrl = (response) => {
      if (new URL(response.url()).pathname === '/api/photos' && response.ok()) firstPersonPages.push(response.url());
    };
    page.on('response', keepUrl);
    await page.goto(stack.url);
    await controlled();
    await page.getByTestId('photo-tile').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=photo-tile] img')].every((image) => image.complete));
    page.off('response', keepUrl);
    assert.ok(firstPersonPages.length > 0, 'the timeline loaded pages');

    // Their session ends without signing out (the tokens are gone); the
    // worker still holds their answers. Someone else signs in.
    await page.evaluate(() => localStorage.clear());
    const second = await addUser(stack, 'second-person');
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    const timeline = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/timeline');
    await signIn(page, second);
    const bearer = (await timeline).headers().authorization;
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();

    await context.setOffline(true);
    try {
      // The very requests that were kept, now with the second person's token.
      const answers = await page.evaluate(async ({ urls, bearer }) => Promise.all(urls.map(async (url) => {
        try {
          const answer = await fetch(url, { headers: { Authorization: bearer } });
          return `${answer.status}: ${(await answer.text()).slice(0, 80)}`;
        } catch {
          return 'offline';
        }
      })), { urls: firstPersonPages, bearer });
      assert.deepEqual(answers, firstPersonPages.map(() => 'offline'), 'no kept answer of the first person');
      await page.reload();
      await page.getByTestId('offline').waitFor();
      await page.waitForTimeout(1_000);
      assert.equal(await page.getByTestId('photo-tile').count(), 0, 'none of the first person\'s photos');
      await screenshot(page, 'second-person-offline', { fullPage: false });
    } finally {
      await context.setOffline(false);
    }
  });
});
