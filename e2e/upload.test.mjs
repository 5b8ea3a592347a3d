// Backing up photos as a person does, against the real local stack: pick 20 real
// camera and phone files, watch them upload, find them byte for byte in the store;
// pick them again and nothing moves; bad and oversized files fail alone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

describe('uploading photos', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let page;
  let problems;
  let photos;
  const puts = [];
  // The part numbers of multipart PUTs, in the order they left.
  const partPuts = [];

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchForProblems(page);
    page.on('request', (request) => {
      if (request.method() !== 'PUT') return;
      const url = new URL(request.url());
      puts.push(url.pathname);
      if (url.searchParams.has('partNumber')) partPuts.push(Number(url.searchParams.get('partNumber')));
    });
    const names = (await readdir(join(corpus, 'real'))).filter((name) => !name.startsWith('.')).sort().slice(0, 20);
    photos = await Promise.all(
      names.map(async (name) => {
        const path = join(corpus, 'real', name);
        return { name, path, sha256: sha256(await readFile(path)) };
      }),
    );
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The store's copy of an object, straight from its directory on disk. */
  async function stored(folder, id) {
    const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
    assert.equal(users.length, 1, 'one user, one prefix');
    const dir = join(stack.dataDir, 'store', 'media', 'u', users[0], folder);
    const name = (await readdir(dir)).find((file) => file.startsWith(id));
    assert.ok(name, `${folder}/${id} is in the store`);
    return readFile(join(dir, name));
  }

  test('20 photos upload with progress and arrive byte for byte', async () => {
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.getByTestId('upload-panel').waitFor();
    const progress = await page.getByTestId('upload-detail').textContent();
    assert.match(progress, /MB of \d+\.\d MB/, 'the panel counts bytes');
    await screenshot(page, 'upload-in-progress');
    await page.getByRole('heading', { name: '20 photos backed up' }).waitFor({ timeout: 180_000 });
    await screenshot(page, 'upload-done');
    // The new photos are in the timeline (the part near the screen is in the
    // DOM; e2e/gallery.test.mjs scrolls through it), thumbnails loaded from the store.
    await page.waitForFunction(
      () => {
        const images = [...document.querySelectorAll('[data-testid=photo-tile] img')];
        return images.length >= 6 && images.every((image) => image.complete && image.naturalWidth > 0);
      },
      null,
      { timeout: 60_000 },
    );
    await page.getByRole('button', { name: 'Hide the list' }).click();
    await screenshot(page, 'gallery');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'gallery-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Show the list' }).click();
    assert.equal(await page.locator('[data-testid=upload-row][data-state=done]').count(), 20);

    for (const photo of photos) {
      assert.equal(sha256(await stored('o', photo.sha256)), photo.sha256, `${photo.name}: the original is untouched`);
      for (const [folder, what] of [['t', 'thumbnail'], ['w', 'web view']]) {
        const preview = await stored(folder, photo.sha256);
        const isWebp = preview.subarray(0, 4).toString() === 'RIFF' && preview.subarray(8, 12).toString() === 'WEBP';
        assert.ok(isWebp, `${photo.name}: the ${what} is a WebP`);
      }
    }
    assert.equal(puts.length, 60, 'three PUTs a photo, none repeated');

    // Each original downloads through the API's link and the store, byte for byte.
    const downloads = await page.evaluate(async (ids) => {
      const { access_token: token } = JSON.parse(localStorage.getItem('shoebox.session'));
      const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const out = {};
      for (const id of ids) {
        const photo = await (await fetch(`/api/photos/${id}`, { headers: { authorization: `Bearer ${token}` } })).json();
        const response = await fetch(photo.original_url);
        out[id] = {
          sha256: hex(await crypto.subtle.digest('SHA-256', await response.arrayBuffer())),
          disposition: response.headers.get('content-disposition'),
          filename: photo.filename,
        };
      }
      return out;
    }, photos.map((photo) => photo.sha256));
    for (const photo of photos) {
      const download = downloads[photo.sha256];
      assert.equal(download.sha256, photo.sha256, `${photo.name}: downloaded byte for byte`);
      assert.equal(download.filename, photo.name);
      assert.match(download.disposition, new RegExp(`^attachment; filename="${photo.name.replace('.', '\\.')}"`));
    }
    assert.deepEqual(problems, []);
  });

  test('the same 20 again are skipped as duplicates without uploading anything', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    const before = puts.length;
    await page.getByTestId('upload-input').setInputFiles(photos.map((photo) => photo.path));
    await page.getByRole('heading', { name: '0 photos backed up · 20 already there' }).waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('[data-testid=upload-row][data-state=duplicate]').count(), 20);
    assert.equal(puts.length, before, 'nothing was uploaded again');
  });

  test('broken and oversized files fail alone with their reason', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    const huge = join(stack.dataDir, 'huge-video.jpg');
    await writeFile(huge, '');
    await truncate(huge, 51 * 1024 ** 3); // sparse: 51 GiB of nothing, over the 50 GiB limit
    const files = [
      join(corpus, 'broken', 'jpeg_empty_0_bytes.jpg'),
      join(corpus, 'broken', 'jpeg_max_size_65535x65535.jpg'),
      huge,
      join(corpus, 'real', (await readdir(join(corpus, 'real'))).filter((n) => !n.startsWith('.')).sort()[20]),
    ];
    await page.getByTestId('upload-input').setInputFiles(files);
    await page.getByRole('heading', { name: '1 photo backed up · 3 failed' }).waitFor({ timeout: 120_000 });
    const reasons = await page.locator('[data-testid=upload-row][data-state=failed] .upload-state').allTextContents();
    assert.equal(reasons.length, 3);
    assert.ok(reasons.some((reason) => /empty/.test(reason)), reasons.join(' | '));
    assert.ok(reasons.some((reason) => /65535x65535/.test(reason)), reasons.join(' | '));
    assert.ok(reasons.some((reason) => /This file is 54\.8 GB; this Shoebox takes files up to 53\.7 GB/.test(reason)), reasons.join(' | '));
    assert.match(await page.getByTestId('upload-detail').textContent(), /^(\d+\.\d) MB of \1 MB$/, 'failed files are out of the byte count');
    await screenshot(page, 'upload-failures');
    assert.deepEqual(problems, []);
  });

  test('a 150 MB original goes up in 8 MiB parts and arrives whole', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    // A 7200x7200 24-bit BMP: 155 MB of real pixels (a gradient), 52 MP.
    const [width, height] = [7200, 7200];
    const rowBytes = width * 3;
    const bmp = Buffer.alloc(54 + rowBytes * height);
    bmp.write('BM', 0);
    bmp.writeUInt32LE(bmp.length, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(width, 18);
    bmp.writeInt32LE(height, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    bmp.writeUInt32LE(rowBytes * height, 34);
    for (let y = 0; y < height; y += 1) {
      const row = 54 + y * rowBytes;
      for (let x = 0; x < width; x += 1) {
        bmp[row + x * 3] = x & 0xff;
        bmp[row + x * 3 + 1] = y & 0xff;
        bmp[row + x * 3 + 2] = (x + y) >> 6;
      }
    }
    const path = join(stack.dataDir, 'big-scan.bmp');
    await writeFile(path, bmp);
    const expected = sha256(bmp);
    partPuts.length = 0;
    await page.getByTestId('upload-input').setInputFiles(path);
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 300_000 });
    const stored = await (async () => {
      const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
      return readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], 'o', expected));
    })();
    assert.equal(stored.length, bmp.length);
    assert.equal(sha256(stored), expected, 'the 155 MB original arrived byte for byte');
    const parts = Math.ceil(bmp.length / (8 * 1024 * 1024));
    assert.deepEqual([...partPuts].sort((a, b) => a - b), Array.from({ length: parts }, (_, i) => i + 1), 'each part sent once');
  });

  test('photos dropped on the page are queued like picked ones', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    const names = (await readdir(join(corpus, 'real'))).filter((n) => !n.startsWith('.')).sort().slice(21, 23);
    const files = await Promise.all(names.map(async (name) => ({ name, base64: (await readFile(join(corpus, 'real', name))).toString('base64') })));
    const transfer = await page.evaluateHandle((list) => {
      const data = new DataTransfer();
      for (const { name, base64 } of list) {
        data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'image/jpeg' }));
      }
      return data;
    }, files);
    await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
    assert.ok(await page.locator('.drop-overlay.visible').isVisible(), 'the page says where a drop goes');
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    await page.getByRole('heading', { name: '2 photos backed up' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.drop-overlay.visible').count(), 0);
  });

  test('a picked folder backs up the photos in it and its subfolders, and skips the rest', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    const folder = await mkdtemp(join(tmpdir(), 'shoebox-folder-'));
    try {
      const names = (await readdir(join(corpus, 'real'))).filter((n) => !n.startsWith('.')).sort().slice(24, 29);
      await mkdir(join(folder, 'Day 2', 'evening'), { recursive: true });
      const places = ['', '', 'Day 2', 'Day 2', join('Day 2', 'evening')];
      await Promise.all(names.map((name, i) => copyFile(join(corpus, 'real', name), join(folder, places[i], name))));
      // What else lives in a real photo folder: notes, Finder's and macOS's
      // hidden files (a `._` file carries a photo's name but no photo).
      // (Videos in folders: videos.test.mjs.)
      await writeFile(join(folder, 'notes.txt'), 'packing list');
      await writeFile(join(folder, '.DS_Store'), Buffer.alloc(6148));
      await writeFile(join(folder, 'Day 2', `._${names[2]}`), Buffer.alloc(4096));

      await page.getByTestId('upload-folder-input').setInputFiles(folder);
      await page.getByRole('heading', { name: '5 photos backed up' }).waitFor({ timeout: 90_000 });
      const detail = await page.getByTestId('upload-detail').textContent();
      assert.match(detail, /3 files skipped: not photos or videos/);
      const rows = await page.getByTestId('upload-row').evaluateAll((els) => els.map((el) => el.querySelector('.upload-name').textContent).sort());
      assert.deepEqual(rows, [...names].sort(), 'only the photos are queued, from every level of the folder');
      await screenshot(page, 'upload-folder');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
