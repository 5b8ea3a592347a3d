// Importing a Google Takeout export, as a person does: pick the parts (a .zip
// and a .tgz, made here by e2e/fixtures/make_takeout.py), read the plan, start
// it, and find the photos in the library with the dates, places and albums
// their sidecars gave them. Then the same parts again: nothing is done twice.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const run = promisify(execFile);
const ROOT = 'Takeout/Google Photos';

/** Every photo of the signed-in user, through the API. */
async function library(page) {
  return page.evaluate(async () => {
    const { access_token: token } = JSON.parse(localStorage.getItem('shoebox.session'));
    const get = async (path) => (await fetch(`/api/${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
    const photos = [];
    let cursor = null;
    do {
      const page = await get(`photos${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      photos.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    const { items: albums } = await get('albums');
    const withPhotos = [];
    for (const album of albums) {
      const page = await get(`albums/${album.id}/photos`);
      withPhotos.push({ title: album.title, count: album.count, ids: page.items.map((photo) => photo.id).sort() });
    }
    return { photos, albums: withPhotos };
  });
}

describe('import from Google Takeout', () => {
  let stack;
  let browser;
  let page;
  let problems;
  let folder;
  let made;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'shoebox-takeout-'));
    const { stdout } = await run('/usr/bin/python3', ['e2e/fixtures/make_takeout.py', folder]);
    made = JSON.parse(stdout);
    stack = await startStack();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
    await page.getByRole('heading', { name: 'No photos yet' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('a two-part export comes in with its dates, places, descriptions, edits and album; a second run skips it all', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import from Google Photos' }).waitFor();
    await page.getByTestId('takeout-input').setInputFiles(made.parts);

    // The plan: nine photos (one of them twice, in its album folder too), one album, five skipped.
    await page.getByText('9 photos and videos, 1 album.').waitFor({ timeout: 60_000 });
    await page.getByText('5 files will be skipped').click();
    for (const reason of [
      '1: a video Google could not export (Failed Videos)',
      '1: a sidecar whose photo is in none of the parts picked',
      '1: not a photo or video',
      '1: in Google Photos\' trash',
      '1: a name that leads outside the archive',
    ]) {
      await page.getByText(reason, { exact: true }).waitFor();
    }
    await screenshot(page, 'takeout-plan');
    await page.getByRole('button', { name: 'Import 9' }).click();
    await page.getByText('Import finished.').waitFor({ timeout: 180_000 });
    await page.getByText('8 new · 0 already in your library · 5 skipped').waitFor();
    await screenshot(page, 'takeout-finished');

    const { photos, albums } = await library(page);
    const byName = Object.fromEntries(photos.map((photo) => [photo.filename, photo]));
    assert.deepEqual(
      Object.keys(byName).sort(),
      ['IMG_0001.jpg', 'IMG_0002(1).jpg', 'IMG_0002.jpg', 'IMG_0003-edited.jpg', 'IMG_0003.jpg', 'IMG_0004.jpg',
        'Screenshot_20190305-101010_Some Very Long App Name.jpg', 'broken.jpg'],
      'every photo once; nothing trashed, failed or outside the archive',
    );
    // Each photo is its file, byte for byte: its id is the SHA-256 the maker printed.
    const shaOf = (path) => made.photos[`${ROOT}/${path}`];
    assert.equal(byName['IMG_0001.jpg'].id, shaOf('Photos from 2019/IMG_0001.jpg'));
    assert.equal(byName['IMG_0004.jpg'].id, shaOf('Summer in Lisbon/IMG_0004.jpg'));
    const taken = (name) => new Date(byName[name].taken_at).getTime() / 1000;
    // The JPEGs have no EXIF: these dates are the sidecars', including the
    // clipped one's and the one whose number moved.
    assert.equal(taken('IMG_0001.jpg'), 1562241600);
    assert.equal(taken('Screenshot_20190305-101010_Some Very Long App Name.jpg'), 1551780610);
    assert.equal(taken('IMG_0002.jpg'), 1546344000);
    assert.equal(taken('IMG_0002(1).jpg'), 1577880000);
    assert.equal(taken('IMG_0003.jpg'), 1560000000, 'the supplemental-metadata sidecar');
    assert.equal(taken('IMG_0003-edited.jpg'), 1560000000, 'the edit takes its original\'s date');
    const first = byName['IMG_0001.jpg'];
    assert.deepEqual(first.metadata.gps, { latitude: 38.7139, longitude: -9.1334, altitude: 40 });
    assert.equal(first.imported.description, 'Lisbon tram');
    assert.equal(first.imported.favorite, true);
    assert.equal(first.imported.from, 'google-takeout');
    assert.equal(byName['IMG_0002.jpg'].metadata.gps, null, '0,0 is no place');
    assert.equal(byName['IMG_0003-edited.jpg'].imported.edit_of, byName['IMG_0003.jpg'].id);
    assert.equal(byName['IMG_0003.jpg'].imported.edit_of, undefined);

    assert.deepEqual(albums, [{
      title: 'Summer in Lisbon',
      count: 2,
      ids: [byName['IMG_0001.jpg'].id, byName['IMG_0004.jpg'].id].sort(),
    }]);

    // The summary, as a CSV: every file of the export and what became of it.
    const saved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the summary (CSV)' }).click();
    const download = await saved;
    assert.equal(download.suggestedFilename(), 'shoebox-import.csv');
    const csvPath = join(folder, 'summary.csv');
    await download.saveAs(csvPath);
    const csv = await readFile(csvPath, 'utf8');
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'path,outcome,detail');
    assert.equal(lines.length, 1 + 9 + 5, 'a line for each photo and each file skipped');
    assert.ok(csv.includes(`"${ROOT}/Photos from 2020/broken.jpg","imported","sidecar unreadable: the sidecar is empty"`), csv);
    assert.ok(csv.includes(`"${ROOT}/Summer in Lisbon/IMG_0004.jpg","imported","no sidecar"`), csv);
    assert.ok(csv.includes('"../evil.jpg","skipped","a name that leads outside the archive"'), csv);

    // The same parts again, as after a crash: everything is done already.
    await page.getByRole('button', { name: 'Import more' }).click();
    await page.getByTestId('takeout-input').setInputFiles(made.parts);
    await page.getByText('9 were imported by an earlier run and are skipped.').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('button', { name: 'Import 0' }).isDisabled(), true);
    assert.deepEqual(problems, []);
  });

  test('a part that is no archive and a part missing from the set are said before anything starts', async () => {
    await page.getByRole('button', { name: 'Choose other parts' }).click();
    const notAnArchive = join(folder, 'takeout-20261207T120000Z-003.zip');
    await writeFile(notAnArchive, 'this is not a zip at all');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('takeout-input').setInputFiles([made.parts[1], notAnArchive]);
    await page.getByText('takeout-20261207T120000Z-001 is missing: photos in it will not be imported').waitFor({ timeout: 60_000 });
    await page.getByText('takeout-20261207T120000Z-003.zip could not be read: this is not a .zip or .tgz file').waitFor();
    await screenshot(page, 'takeout-plan-phone');
    assert.deepEqual(problems, []);
  });

  test('the same export, extracted to a folder, finds every photo already there and makes no second album', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Choose other parts' }).click();
    await page.getByTestId('takeout-folder-input').setInputFiles(made.folder);
    await page.getByText('9 photos and videos, 1 album.').waitFor({ timeout: 60_000 });
    await page.getByText('4 files will be skipped').waitFor();
    await page.getByRole('button', { name: 'Import 9' }).click();
    await page.getByText('Import finished.').waitFor({ timeout: 180_000 });
    await page.getByText('0 new · 8 already in your library · 4 skipped').waitFor();
    const { photos, albums } = await library(page);
    assert.equal(photos.length, 8);
    assert.equal(albums.length, 1, 'the album of that title is filled, not made again');
    assert.equal(albums[0].count, 2);
    assert.deepEqual(problems, []);
  });

  test('an import stopped part way goes on from there when the same part is picked again', async () => {
    await page.getByRole('button', { name: 'Import more' }).click();
    await page.getByTestId('takeout-input').setInputFiles(made.many);
    await page.getByText(`${made.many_count} photos and videos, 0 albums.`).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: `Import ${made.many_count}` }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    const stopped = page.getByText(/^Stopped at \d+ of \d+\./);
    await stopped.waitFor({ timeout: 120_000 });
    const [, done] = (await stopped.textContent()).match(/Stopped at (\d+) of/);
    assert.ok(Number(done) > 0 && Number(done) < made.many_count, `stopped part way: ${done}`);
    await screenshot(page, 'takeout-stopped');
    const before = (await library(page)).photos.length;
    assert.equal(before, 8 + Number(done), 'what was done is in the library');

    await page.getByRole('button', { name: 'Import more' }).click();
    await page.getByTestId('takeout-input').setInputFiles(made.many);
    await page.getByText(`${done} were imported by an earlier run and are skipped.`).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: `Import ${made.many_count - Number(done)}` }).click();
    await page.getByText('Import finished.').waitFor({ timeout: 180_000 });
    await page.getByText(`${made.many_count - Number(done)} new · 0 already in your library · ${done} by an earlier run · 0 skipped`).waitFor();
    assert.equal((await library(page)).photos.length, 8 + made.many_count);
    assert.deepEqual(problems, []);
  });
});
