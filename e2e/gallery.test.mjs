// The gallery end to end: photos uploaded through the app appear in the timeline
// under their days; the lightbox opens from a tile and by link, steps through with
// the keyboard, shows the details, downloads the original byte for byte, and
// deletes (after a confirmation) so the photo is gone after a reload too.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

describe('the gallery', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let context;
  let page;
  let problems;
  const files = [];

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    // Without the service worker: these tests hold back and fail the page's own
    // requests (page.route does not see what a worker fetches); the worker is
    // tested in pwa.test.mjs.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, serviceWorkers: 'block' });
    page = await context.newPage();
    problems = watchForProblems(page);
    const names = (await readdir(join(corpus, 'real'))).filter((name) => !name.startsWith('.')).sort().slice(0, 12);
    for (const name of names) {
      const path = join(corpus, 'real', name);
      files.push({ name, path, sha256: sha256(await readFile(path)) });
    }
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
    await page.getByTestId('upload-input').setInputFiles(files.map((file) => file.path));
    await page.getByRole('heading', { name: '12 photos backed up' }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Clear' }).click();
    // The timeline catches up once the batch's commits pause.
    await page.getByTestId('photo-tile').first().waitFor();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const tiles = () => page.getByTestId('photo-tile');
  /**
   * The ids of the tiles in the DOM now (those near the screen), in the order a
   * person sees them (top to bottom, left to right), whatever their DOM order.
   */
  const tileIds = () => tiles().evaluateAll((els) => els
    .map((el) => ({ id: el.getAttribute('href').split('/').pop(), box: el.getBoundingClientRect() }))
    .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left)
    .map(({ id }) => id));
  /** The tile of photo `id`. */
  const tile = (id) => page.locator(`[data-testid=photo-tile][href="/photo/${id}"]`);
  /**
   * Every photo in the timeline, in order, and every day heading: the timeline
   * keeps only what is near the screen in the DOM, so this scrolls through it.
   */
  async function scrollThrough() {
    await tiles().first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    const ids = [];
    const days = [];
    const settle = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (let step = 0; step < 200; step += 1) {
      // The scroll is handled (and the DOM follows) in the next frames.
      await settle();
      // What is on screen, once nothing on screen is still loading.
      await page.waitForFunction(() => [...document.querySelectorAll('.timeline-placeholder')]
        .every((el) => { const box = el.getBoundingClientRect(); return box.bottom <= 0 || box.top >= innerHeight; }));
      const seen = await page.evaluate(() => {
        const inOrder = (selector) => [...document.querySelectorAll(selector)]
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.bottom > 0 && box.top < innerHeight)
          .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
        return {
          ids: inOrder('[data-testid=photo-tile]').map(({ el }) => el.getAttribute('href').split('/').pop()),
          days: inOrder('.timeline-day').map(({ el }) => el.dataset.day),
          bottom: window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2,
        };
      });
      for (const id of seen.ids) if (!ids.includes(id)) ids.push(id);
      for (const day of seen.days) if (!days.includes(day)) days.push(day);
      if (seen.bottom) break;
      await page.evaluate(() => window.scrollBy(0, innerHeight * 0.8));
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    return { ids, days };
  }

  test('uploaded photos fill the timeline under month and day headings, thumbnails loaded', async () => {
    const { ids, days: order } = await scrollThrough();
    assert.deepEqual([...ids].sort(), files.map((f) => f.sha256).sort(), 'every photo once');
    const months = await page.locator('.timeline-month h2').allTextContents();
    assert.ok(months.length >= 1 && months.every((m) => /^[A-Z][a-z]+ \d{4}$/.test(m)), months.join(' | '));
    const days = await page.locator('.timeline-day').allTextContents();
    assert.ok(days.length >= 1 && days.every((d) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]+ \d{4}$/.test(d)), days.join(' | '));
    assert.deepEqual(order, [...order].sort().reverse(), 'days newest first');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=photo-tile] img')].every((img) => img.complete && img.naturalWidth > 0));
    // Justified rows: tiles keep their photos' shapes, so they are not all square.
    const shapes = await tiles().evaluateAll((els) => els.map((el) => Math.round((el.offsetWidth / el.offsetHeight) * 10)));
    assert.ok(new Set(shapes).size > 1, `tiles of several shapes: ${shapes}`);
    await screenshot(page, 'timeline-desktop', { fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    // Laid out again for the narrow screen: a grid of squares.
    await page.waitForFunction(() => {
      const all = [...document.querySelectorAll('[data-testid=photo-tile]')];
      return all.length > 0 && all.every((el) => el.offsetWidth === el.offsetHeight && el.offsetWidth < 100);
    });
    // Every control in the header is on screen, whole.
    const cut = await page.locator('.app-header button:visible, .app-header a:visible').evaluateAll((els) => els
      .filter((el) => { const box = el.getBoundingClientRect(); return box.left < 0 || box.right > innerWidth; })
      .map((el) => el.textContent.trim()));
    assert.deepEqual(cut, [], 'header controls cut off at 390 px');
    await screenshot(page, 'timeline-phone', { fullPage: false });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('the lightbox opens from a tile, steps with the keyboard, and closes with Escape and Back', async () => {
    const ids = await tileIds();
    await tile(ids[0]).click();
    await page.waitForURL(`**/photo/${ids[0]}`);
    await page.getByTestId('lightbox-image').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photo/${ids[1]}`);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photo/${ids[2]}`);
    await page.getByTestId('lightbox-image').evaluate((image) => { image.dataset.steppedFrom = 'yes'; });
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/photo/${ids[1]}`);
    // A new stage for the photo stepped to: an image element given the next
    // photo's address goes on painting the last photo until the new one loads.
    const stage = await page.locator('.lightbox-stage img').evaluateAll((images) => images.map((image) => ({
      src: image.getAttribute('src'), reused: image.dataset.steppedFrom === 'yes',
    })));
    assert.ok(stage.length > 0 && stage.every((image) => !image.reused && image.src.includes(ids[1])), `nothing of the last photo on the stage: ${JSON.stringify(stage)}`);
    await page.keyboard.press('i');
    const info = await page.getByTestId('info-panel').textContent();
    assert.match(info, /Taken/);
    assert.match(info, /\d+ × \d+/, 'dimensions');
    // After stepping there and back, the stage shows this photo's web view,
    // loaded, and nothing of the photos stepped through.
    await page.waitForFunction(() => {
      const image = document.querySelector('[data-testid=lightbox-image]');
      return image && image.complete && image.naturalWidth > 0;
    });
    const shown = await page.locator('.lightbox-stage img:not(.hidden)').evaluateAll((images) => images.map((image) => image.currentSrc));
    assert.ok(shown.length > 0 && shown.every((src) => src.includes(ids[1])), `only photo ${ids[1]} on the stage: ${shown}`);
    await screenshot(page, 'lightbox-desktop', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.getByTestId('lightbox').waitFor({ state: 'detached' });
    assert.equal(new URL(page.url()).pathname, '/');

    await tile(ids[3]).click();
    await page.waitForURL(`**/photo/${ids[3]}`);
    await page.goBack();
    await page.getByTestId('lightbox').waitFor({ state: 'detached' });
    assert.equal(new URL(page.url()).pathname, '/', 'Back closes the lightbox');
  });

  test('in the lightbox the wheel zooms, a double click fits again, and a swipe goes on', async () => {
    await page.goto(stack.url);
    await tiles().first().waitFor();
    const ids = await tileIds();
    await page.goto(`${stack.url}photo/${ids[0]}`);
    await page.getByTestId('lightbox-image').waitFor();
    const stage = page.locator('.lightbox-stage');
    const box = await stage.boundingBox();
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const scale = () => page.locator('.lightbox-zoom').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    await page.mouse.move(centre.x + 100, centre.y + 50);
    await page.mouse.wheel(0, -600);
    await page.waitForFunction(() => document.querySelector('.lightbox-stage.zoomed'));
    assert.ok((await scale()) > 1.5, 'zoomed in around the pointer');
    // Dragging a zoomed photo pans it, and does not change the photo.
    await page.mouse.down();
    await page.mouse.move(centre.x - 150, centre.y, { steps: 5 });
    await page.mouse.up();
    assert.ok(page.url().endsWith(ids[0]), 'a drag while zoomed pans, it does not swipe');
    await page.mouse.dblclick(centre.x, centre.y);
    await page.waitForFunction(() => !document.querySelector('.lightbox-stage.zoomed'));
    assert.equal(await scale(), 1, 'a double click fits the photo again');
    // A swipe to the left goes to the older photo.
    await page.mouse.move(centre.x + 150, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x - 150, centre.y, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(`**/photo/${ids[1]}`);
  });

  test('on a touch screen two fingers pinch the photo larger, and a double tap toggles zoom', async () => {
    const ids = await tileIds();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, storageState: await context.storageState() });
    try {
      const touchPage = await phone.newPage();
      const touchProblems = watchForProblems(touchPage);
      await touchPage.goto(`${stack.url}photo/${ids[0]}`);
      await touchPage.getByTestId('lightbox-image').waitFor();
      const box = await touchPage.locator('.lightbox-stage').boundingBox();
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      const scale = () => touchPage.locator('.lightbox-zoom').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
      const cdp = await phone.newCDPSession(touchPage);
      const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
      // Two fingers 80 px apart move to 240 px apart: three times larger.
      await touch('touchStart', [[cx - 40, cy], [cx + 40, cy]]);
      for (let step = 1; step <= 8; step += 1) {
        const half = 40 + step * 10;
        await touch('touchMove', [[cx - half, cy], [cx + half, cy]]);
      }
      await touch('touchEnd', []);
      const pinched = await scale();
      assert.ok(pinched > 2.5 && pinched < 3.5, `a pinch to three times the spread zooms about three times: ${pinched}`);
      assert.ok(touchPage.url().endsWith(ids[0]), 'a pinch is not a swipe');
      // A double tap fits the photo again; another zooms in to 2.5x.
      await touchPage.touchscreen.tap(cx, cy);
      await touchPage.touchscreen.tap(cx, cy);
      await touchPage.waitForFunction(() => !document.querySelector('.lightbox-stage.zoomed'));
      assert.equal(await scale(), 1, 'a double tap fits the zoomed photo');
      await touchPage.touchscreen.tap(cx, cy);
      await touchPage.touchscreen.tap(cx, cy);
      await touchPage.waitForFunction(() => document.querySelector('.lightbox-stage.zoomed'));
      assert.equal(await scale(), 2.5, 'a double tap zooms in');
      await screenshot(touchPage, 'lightbox-phone-zoomed', { fullPage: false });
      assert.deepEqual(touchProblems, []);
    } finally {
      await phone.close();
    }
  });

  test('a link opens the photo directly, and its original downloads byte for byte', async () => {
    const ids = await tileIds();
    const id = ids[4];
    await page.goto(`${stack.url}photo/${id}`);
    await page.getByTestId('lightbox-image').waitFor();
    const file = files.find((f) => f.sha256 === id);
    assert.ok(file, 'the photo id is the SHA-256 of its original');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-original').click()]);
    assert.equal(download.suggestedFilename(), file.name);
    const saved = await readFile(await download.path());
    assert.equal(sha256(saved), file.sha256, 'the downloaded original is the uploaded file');
    // Its neighbours are known even though the timeline was not open.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`**/photo/${ids[5]}`);
  });

  test('delete moves a photo to the trash with Undo; from the trash it is deleted for good after a confirmation', async () => {
    await page.goto(stack.url);
    await tiles().first().waitFor();
    const ids = await tileIds();
    const doomed = ids[2];
    await page.goto(`${stack.url}photo/${doomed}`);
    await page.getByTestId('lightbox-image').waitFor();
    // Into the trash at once, on to the next photo, with Undo.
    await page.getByTestId('trash-button').click();
    await page.waitForURL(`**/photo/${ids[3]}`);
    const toast = page.getByTestId('undo-toast');
    await toast.getByText('1 photo moved to the trash.').waitFor();
    await toast.getByRole('button', { name: 'Undo' }).click();
    await toast.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByTestId('lightbox').waitFor({ state: 'detached' });
    assert.equal((await scrollThrough()).ids.length, 12, 'Undo put it back');
    // The Delete key does the same.
    await page.goto(`${stack.url}photo/${doomed}`);
    await page.getByTestId('lightbox-image').waitFor();
    await page.keyboard.press('Delete');
    await page.waitForURL(`**/photo/${ids[3]}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('lightbox').waitFor({ state: 'detached' });
    // In the trash it can be deleted for good, after a confirmation.
    await page.goto(`${stack.url}trash/photo/${doomed}`);
    await page.getByTestId('lightbox-image').waitFor();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this photo for good?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.ok(page.url().endsWith(doomed), 'Cancel keeps the photo');
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.waitForURL((url) => url.pathname === '/trash');
    await page.getByRole('heading', { name: 'The trash is empty' }).waitFor();
    await page.goto(stack.url);
    await tiles().first().waitFor();
    const shown = await scrollThrough();
    assert.equal(shown.ids.length, 11);
    assert.ok(!shown.ids.includes(doomed));
    await page.reload();
    await tiles().first().waitFor();
    const reloaded = await scrollThrough();
    assert.deepEqual(reloaded.ids, shown.ids, 'gone after a reload, the rest in the same order');
    await page.goto(`${stack.url}photo/${doomed}`);
    await page.getByRole('heading', { name: 'This photo is not here' }).waitFor();
    const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
    const left = await readdir(join(stack.dataDir, 'store', 'media', 'u', users[0], 'o'));
    assert.ok(!left.some((name) => name.startsWith(doomed)), 'the original is gone from the store');
    // Requests are aborted on purpose here (images scrolled away from, pages left,
    // a download turning into a file) and the deleted photo's 404 is the point:
    // what must not happen is an exception or an error the app logs itself.
    const real = problems.filter((p) => !p.startsWith('request failed:') && !p.includes('Failed to load resource'));
    assert.deepEqual(real, [], 'no exceptions or errors logged');
  });

  test('photos are selected by check mark, shift-click and day, and moved to the trash together', async () => {
    await page.goto(stack.url);
    await tiles().first().waitFor();
    const ids = await tileIds();
    // The check mark selects without opening the photo.
    await tile(ids[0]).hover();
    await tile(ids[0]).getByRole('button', { name: /^Select / }).click();
    assert.equal(new URL(page.url()).pathname, '/', 'the photo did not open');
    await page.getByTestId('selection-bar').getByText('1 selected').waitFor();
    // Shift-click selects everything between.
    await tile(ids[2]).click({ modifiers: ['Shift'] });
    await page.getByTestId('selection-bar').getByText('3 selected').waitFor();
    const selected = await page.locator('[data-testid=photo-tile][aria-selected=true]').evaluateAll((els) => els.map((el) => el.getAttribute('href').split('/').pop()));
    assert.deepEqual(selected.sort(), ids.slice(0, 3).sort());
    // While selecting, a click toggles rather than opens.
    await tile(ids[1]).click();
    await page.getByTestId('selection-bar').getByText('2 selected').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await screenshot(page, 'timeline-selection', { fullPage: false });
    // Escape lets go of it all.
    await page.keyboard.press('Escape');
    await page.getByTestId('selection-bar').waitFor({ state: 'detached' });

    // A whole day, then delete them together.
    const day = page.locator('.timeline-day').first();
    const dayName = await day.evaluate((el) => el.dataset.day);
    await day.hover();
    await day.getByRole('button', { name: /^Select all of / }).click();
    const inDay = await page.locator('[data-testid=photo-tile][aria-selected=true]').count();
    assert.ok(inDay >= 1);
    // The selection outlives scrolling (only the DOM near the screen changes).
    const beforeIds = (await scrollThrough()).ids;
    const before = beforeIds.length;
    const chosen = await page.locator('[data-testid=photo-tile][aria-selected=true]').evaluateAll((els) => els.map((el) => el.getAttribute('href').split('/').pop()));
    await page.getByTestId('selection-bar').getByText(inDay === 1 ? '1 selected' : `${inDay} selected`).waitFor();
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('undo-toast').getByText(inDay === 1 ? '1 photo moved to the trash.' : `${inDay} photos moved to the trash.`).waitFor();
    await page.getByTestId('selection-bar').waitFor({ state: 'detached' });
    await page.reload();
    const after = await scrollThrough();
    assert.equal(after.ids.length, before - inDay, `the ${inDay} photo(s) of ${dayName} are gone: before ${beforeIds}, chosen ${chosen}, after ${after.ids}`);
    assert.ok(!after.days.includes(dayName), 'and so is their day');
  });

  test('while thumbnails load, each tile shows a blurred sketch of its photo', async () => {
    // Thumbnails held back (routing also turns off the browser's cache).
    const held = [];
    await page.route('**/t/*.webp*', (route) => { held.push(route); });
    await page.goto(stack.url);
    await tiles().first().waitFor();
    // Every tile in the DOM: those on screen and those just off it.
    const sketched = () => [...document.querySelectorAll('.photo-tile')]
      .every((tile) => getComputedStyle(tile).backgroundImage.startsWith('url("data:image/png'));
    await page.waitForFunction(sketched);
    const sketches = await page.evaluate(async () => Promise.all([...document.querySelectorAll('.photo-tile')]
      .map(async (tile) => {
        const style = getComputedStyle(tile);
        const sketch = new Image();
        sketch.src = style.backgroundImage.slice(5, -2);
        await sketch.decode();
        const canvas = document.createElement('canvas');
        canvas.width = sketch.naturalWidth;
        canvas.height = sketch.naturalHeight;
        const context = canvas.getContext('2d');
        context.drawImage(sketch, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const luma = [];
        for (let i = 0; i < data.length; i += 4) luma.push(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
        const img = tile.querySelector('img');
        return {
          width: canvas.width,
          height: canvas.height,
          opaque: data.every((value, i) => i % 4 !== 3 || value > 0),
          lumaRange: Math.max(...luma) - Math.min(...luma),
          coversTile: style.backgroundSize === 'cover',
          thumbnailShown: img.complete && img.naturalWidth > 0,
        };
      })));
    await screenshot(page, 'timeline-sketches', { fullPage: false });
    assert.ok(sketches.length >= 5, `tiles near the screen: ${sketches.length}`);
    for (const sketch of sketches) {
      assert.ok(!sketch.thumbnailShown, 'no thumbnail got through');
      assert.ok(sketch.width > 0 && sketch.width <= 32 && sketch.height > 0 && sketch.height <= 32, `a ThumbHash image: ${JSON.stringify(sketch)}`);
      assert.ok(sketch.opaque && sketch.coversTile, `painted over the whole tile: ${JSON.stringify(sketch)}`);
    }
    // A sketch of a photo, not a flat colour.
    assert.ok(sketches.filter((sketch) => sketch.lumaRange > 20).length >= sketches.length / 2, JSON.stringify(sketches));
    await page.unroute('**/t/*.webp*');
    await Promise.all(held.map((route) => route.continue().catch(() => {})));
    await page.waitForFunction(() => [...document.querySelectorAll('.photo-tile img')].every((img) => img.complete && img.naturalWidth > 0));
  });

  test('when the API is down the page says so and recovers on Try again', async () => {
    await page.route('**/api/timeline', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Photo storage is not answering right now. Try again in a moment.' } }) }));
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'Your photos could not be loaded' }).waitFor();
    await page.getByText('Photo storage is not answering right now').waitFor();
    await screenshot(page, 'timeline-api-down', { fullPage: false });
    await page.unroute('**/api/timeline');
    await page.getByRole('button', { name: 'Try again' }).click();
    await tiles().first().waitFor();
  });
});
