// Downloading many originals as one zip, as a person does: select photos in
// the timeline, press Download, and get one .zip that the service worker
// built as the originals streamed in. Two different photos share a name, as
// two cameras' IMG_0001.JPG do. The zip is checked by Python's zipfile
// (every CRC) and `unzip -t`, byte for byte against the uploaded files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const run = promisify(execFile);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** What Python's zipfile finds in `path`: every entry's name, size, date and SHA-256, after testing every CRC. */
const READ_ZIP = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    print(json.dumps({"bad": bad, "entries": [
        {"name": i.filename, "size": i.file_size, "date": list(i.date_time), "stored": i.compress_type == zipfile.ZIP_STORED,
         "sha256": hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()]}))
`;

describe('download as one zip', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let context;
  let page;
  let problems;
  let folder;
  const uploaded = [];

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'shoebox-zip-'));
    const photos = (await readdir(join(corpus, 'real'))).filter((n) => !n.startsWith('.')).sort();
    // Two different photos, both called IMG_0001.JPG, and a third of its own name.
    for (const [index, name] of [[0, 'IMG_0001.JPG'], [1, 'IMG_0001.JPG'], [2, photos[2]]]) {
      const dir = join(folder, String(index));
      await mkdir(dir);
      const path = join(dir, name);
      await copyFile(join(corpus, 'real', photos[index]), path);
      uploaded.push({ name, path, sha256: sha256(await readFile(path)) });
    }
    stack = await startStack();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    problems = watchForProblems(page);
    await page.goto(stack.url);
    // The service worker builds the zip: the page must be under its control.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
    await page.getByTestId('upload-input').setInputFiles(uploaded.map((file) => file.path));
    await page.getByRole('heading', { name: '3 photos backed up' }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('photo-tile').nth(2).waitFor();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('three selected photos download as one zip with unique names, byte for byte, every CRC right', async () => {
    const tiles = page.getByTestId('photo-tile');
    for (let index = 0; index < 3; index += 1) {
      await tiles.nth(index).hover();
      await tiles.nth(index).locator('.tile-check').click();
    }
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Shoebox 3 photos.zip');
    const path = await download.path();
    const note = page.getByTestId('zip-note');
    await note.getByText(/Saved 3 originals/).waitFor({ timeout: 60_000 });
    await screenshot(page, 'zip-download-done', { fullPage: false });

    const { stdout } = await run('/usr/bin/python3', ['-c', READ_ZIP, path]);
    const zip = JSON.parse(stdout);
    assert.equal(zip.bad, null, 'every CRC is right');
    const names = zip.entries.map((entry) => entry.name).sort();
    assert.deepEqual(names, ['IMG_0001 (2).JPG', 'IMG_0001.JPG', uploaded[2].name].sort());
    assert.ok(zip.entries.every((entry) => entry.stored), 'stored, not recompressed');
    assert.deepEqual(
      zip.entries.map((entry) => entry.sha256).sort(),
      uploaded.map((file) => file.sha256).sort(),
      'each original byte for byte',
    );
    assert.ok(zip.entries.every((entry) => entry.date[0] < 2026), `dated by capture time: ${JSON.stringify(zip.entries.map((e) => e.date))}`);
    const unzip = await run('unzip', ['-t', path]);
    assert.match(unzip.stdout, /No errors detected/);
    assert.deepEqual(problems, []);
  });
});
