// The installable app: Chromium's own verdict on installing it, the shell and
// kept thumbnails with the network gone, photos shared to it from another app
// (through the service worker's share target), and a new build deployed to the
// running stack offered as an update rather than changing under the user.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchProfile, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = process.env.SHOEBOX_CORPUS;
const haveCorpus = corpus && (await readFile(join(corpus, 'MANIFEST.tsv')).then(() => true, () => false));

/** A PNG's width and height, from its header. */
const pngSize = (bytes) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

describe('the installable app', { skip: haveCorpus ? false : 'no photo corpus at ../shared/photos' }, () => {
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

  test('photos shared to the app wait for sign-in, then are backed up; signing out leaves nothing cached', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Your photos, on storage you own' }).waitFor();
    await page.waitForFunction(async () => !(await caches.keys()).some((name) => name === 'shoebox-thumbs' || name === 'shoebox-data'));
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
    await waiting.getByText('2 photos shared to Shoebox will be backed up once you sign in.').waitFor();
    await screenshot(page, 'shared-waiting', { fullPage: false });
    await waiting.getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    await page.getByRole('heading', { name: '2 photos backed up' }).waitFor({ timeout: 120_000 });
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
});
