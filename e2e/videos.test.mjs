// A phone's folder with videos in it, backed up and played as a person does,
// against the real local stack. The clips are made here with ffmpeg (Debian's,
// which `./x test` installs): an H.264 MP4 long enough that playing it streams,
// a VP9 WebM, a portrait clip whose track is turned, an HEVC MOV with an
// iPhone's metadata (which this Chromium cannot decode: it still backs up), an
// Android motion photo (a JPEG with its clip appended, as a Pixel writes it),
// an iPhone Live Photo (a JPEG and a MOV sharing Apple's content identifier),
// and the broken ones: cut short, empty, and a JPEG named .mp4.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, screenshot, signIn, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();
const run = promisify(execFile);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A clip of ffmpeg's test pattern: `seconds` long, `size`, encoded with `codec`. */
async function clip(path, { seconds = 2, size = '320x240', codec, extra = [] }) {
  try {
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-t', String(seconds),
      ...codec, '-pix_fmt', 'yuv420p', ...extra, path,
    ]);
  } catch (error) {
    throw new Error(`ffmpeg could not make ${path} (\`cargo xtask setup --media\` installs it): ${error.message}`);
  }
  return path;
}

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast'];

/** A Pixel's motion photo: the still with its XMP saying so, then the clip. */
async function motionPhoto(path) {
  const still = join(tmpdir(), `shoebox-still-${process.pid}.jpg`);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', still]);
  const clipPath = await clip(join(tmpdir(), `shoebox-motion-${process.pid}.mp4`), { codec: H264, extra: ['-movflags', '+faststart'] });
  const [jpeg, mp4] = [await readFile(still), await readFile(clipPath)];
  const xmp = Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1" GCamera:MotionPhotoOffset="${mp4.length}"/></rdf:RDF></x:xmpmeta>`);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(xmp.length + 2, 2);
  await writeFile(path, Buffer.concat([jpeg.subarray(0, 2), app1, xmp, jpeg.subarray(2), mp4]));
  await rm(still);
}

const LIVE_ID = '2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99';

/**
 * An iPhone's Live Photo: `{stem}.JPG` whose EXIF holds Apple's maker note
 * with the content identifier (tag 0x11), and `{stem}.MOV` (H.264, so this
 * Chromium plays it) with the same identifier in its QuickTime metadata.
 */
async function livePhoto(folder, stem) {
  const still = join(tmpdir(), `shoebox-live-${process.pid}.jpg`);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', still]);
  const jpeg = await readFile(still);
  await rm(still);
  // The maker note: signature, version, byte order, one entry, its value.
  const id = Buffer.from(`${LIVE_ID}\0`);
  const note = Buffer.alloc(32);
  note.write('Apple iOS\0', 0, 'latin1');
  note.writeUInt16BE(1, 10);
  note.write('MM', 12, 'latin1');
  note.writeUInt16BE(1, 14);
  note.writeUInt16BE(0x11, 16);
  note.writeUInt16BE(2, 18);
  note.writeUInt32BE(id.length, 20);
  note.writeUInt32BE(32, 24);
  const makerNote = Buffer.concat([note, id]);
  // TIFF: the header, IFD0 (a pointer to the Exif IFD), the Exif IFD (the
  // time and the maker note), then their values.
  const taken = Buffer.from('2024:05:01 10:00:02\0');
  const tiff = Buffer.alloc(56);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x8769, 10);
  tiff.writeUInt16BE(4, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18);
  tiff.writeUInt16BE(2, 26);
  tiff.writeUInt16BE(0x9003, 28);
  tiff.writeUInt16BE(2, 30);
  tiff.writeUInt32BE(taken.length, 32);
  tiff.writeUInt32BE(56, 36);
  tiff.writeUInt16BE(0x927c, 40);
  tiff.writeUInt16BE(7, 42);
  tiff.writeUInt32BE(makerNote.length, 44);
  tiff.writeUInt32BE(56 + taken.length, 48);
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, taken, makerNote]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(exif.length + 2, 2);
  await writeFile(join(folder, `${stem}.JPG`), Buffer.concat([jpeg.subarray(0, 2), app1, exif, jpeg.subarray(2)]));
  await clip(join(folder, `${stem}.MOV`), {
    seconds: 3, codec: H264,
    extra: ['-f', 'mov', '-movflags', 'use_metadata_tags',
      '-metadata', 'com.apple.quicktime.creationdate=2024-05-01T10:00:02+0200',
      '-metadata', `com.apple.quicktime.content.identifier=${LIVE_ID}`],
  });
}

/** Turns the clip's video track a quarter clockwise, as a phone held upright does. */
async function turnQuarter(path) {
  const bytes = await readFile(path);
  const tkhd = bytes.indexOf('tkhd') + 4;
  const matrix = tkhd + 4 + 20 + 16;
  [0, 1 << 16, 0, -(1 << 16), 0].forEach((value, index) => bytes.writeInt32BE(value, matrix + index * 4));
  await writeFile(path, bytes);
}

describe('videos', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;
  let page;
  let problems;
  let folder;
  const originals = {};

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'shoebox-videos-'));
    // 60 s of 720p at 6 Mbit/s: some 45 MB, so the player streams it in ranges.
    const long = await clip(join(folder, 'VID_20230714_163205.mp4'), {
      seconds: 60, size: '1280x720', codec: [...H264, '-b:v', '6M', '-maxrate', '6M', '-bufsize', '2M'],
      extra: ['-metadata', 'creation_time=2023-07-14T16:32:05Z', '-metadata', 'com.apple.quicktime.location.ISO6709=+48.8577+002.2950+035.000/',
        '-movflags', '+faststart+use_metadata_tags'],
    });
    await clip(join(folder, 'clip.webm'), {
      codec: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'],
    });
    const portrait = await clip(join(folder, 'portrait.mp4'), { codec: H264, extra: ['-movflags', '+faststart'] });
    await turnQuarter(portrait);
    await clip(join(folder, 'IMG_0042.MOV'), {
      codec: ['-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', 'log-level=error'],
      extra: ['-f', 'mov', '-metadata', 'creation_time=2021-03-04T08:15:00Z'],
    });
    // Cut short mid-file: the container cannot be read, the bytes are still kept.
    const whole = await readFile(await clip(join(tmpdir(), `shoebox-whole-${process.pid}.mp4`), { codec: H264 }));
    await writeFile(join(folder, 'VID_cut_short.mp4'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    await writeFile(join(folder, 'empty.mp4'), Buffer.alloc(0));
    await motionPhoto(join(folder, 'PXL_20240501_101010.MP.jpg'));
    await livePhoto(folder, 'IMG_0777');
    const photos = (await readdir(join(corpus, 'real'))).filter((n) => !n.startsWith('.')).sort();
    await copyFile(join(corpus, 'real', photos[30]), join(folder, 'really-a-photo.mp4'));
    await copyFile(join(corpus, 'real', photos[31]), join(folder, photos[31]));
    for (const name of await readdir(folder)) originals[name] = sha256(await readFile(join(folder, name)));
    assert.ok(originals[long.split('/').pop()]);

    stack = await startStack();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchForProblems(page);
    await page.goto(stack.url);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, stack.firstUser);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** The ids (SHA-256) of the originals in the store. */
  async function storedOriginals() {
    const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
    return readdir(join(stack.dataDir, 'store', 'media', 'u', users[0], 'o'));
  }

  test('a folder with videos backs up every one, broken ones included, and says why the empty one is not', async () => {
    await page.getByTestId('upload-folder-input').setInputFiles(folder);
    await page.getByRole('heading', { name: '10 photos backed up · 1 failed' }).waitFor({ timeout: 300_000 });
    const failed = await page.locator('[data-testid=upload-row][data-state=failed]').allTextContents();
    assert.equal(failed.length, 1);
    assert.match(failed[0], /empty\.mp4.*empty/s);
    await screenshot(page, 'videos-uploaded');

    const stored = await storedOriginals();
    for (const [name, id] of Object.entries(originals)) {
      if (name === 'empty.mp4') continue;
      assert.ok(stored.includes(id), `${name} is in the store`);
    }
    const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
    const long = await readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], 'o', originals['VID_20230714_163205.mp4']));
    assert.equal(sha256(long), originals['VID_20230714_163205.mp4'], 'the 45 MB video arrived byte for byte');
  });

  test('the timeline shows each video with a play badge, its length and its own date', async () => {
    await page.goto(stack.url);
    await page.getByTestId('photo-tile').first().waitFor();
    const tile = (name) => page.locator(`[data-testid=photo-tile][title="${name}"]`);
    assert.equal(await page.getByTestId('video-badge').count(), 5, 'five videos: the photo named .mp4 is a photo');
    assert.equal(await tile('VID_20230714_163205.mp4').getByTestId('video-badge').textContent(), '1:00');
    assert.equal(await tile('clip.webm').getByTestId('video-badge').textContent(), '0:02');
    assert.equal(await tile('really-a-photo.mp4').getByTestId('video-badge').count(), 0);
    assert.equal(await tile('PXL_20240501_101010.MP.jpg').getByTestId('motion-badge').textContent(), 'Motion', 'a motion photo says so');
    // A Live Photo is one tile: its still, saying so; its video is not a tile of its own.
    assert.equal(await tile('IMG_0777.JPG').getByTestId('motion-badge').textContent(), 'Live');
    assert.equal(await tile('IMG_0777.MOV').count(), 0, 'the Live Photo\'s video is shown by its still');
    // A poster where this browser decodes the codec.
    for (const name of ['VID_20230714_163205.mp4', 'clip.webm', 'portrait.mp4']) {
      assert.equal(await tile(name).locator('img').count(), 1, `${name} has a poster`);
    }
    const box = await tile('portrait.mp4').boundingBox();
    assert.ok(box.height > box.width, `the turned clip's tile stands upright: ${JSON.stringify(box)}`);
    // Dates from the container: July 2023 and, for the iPhone's, March 2021.
    const months = await page.locator('.timeline-month h2').allTextContents();
    assert.ok(months.some((text) => /July 2023/.test(text)), months.join(' | '));
    assert.ok(months.some((text) => /March 2021/.test(text)), months.join(' | '));
    await screenshot(page, 'videos-timeline');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'videos-timeline-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('a motion photo opens as its still and plays its clip, fetched as one range', async () => {
    const ranges = [];
    page.on('request', (request) => {
      if (request.url().includes(`/o/${originals['PXL_20240501_101010.MP.jpg']}`)) ranges.push(request.headers().range);
    });
    await page.locator('[data-testid=photo-tile][title="PXL_20240501_101010.MP.jpg"]').click();
    await page.getByTestId('lightbox-image').first().waitFor();
    const clip = page.getByTestId('motion-clip');
    await clip.waitFor();
    await clip.evaluate((element) => new Promise((resolve, reject) => {
      if (element.readyState >= 2) resolve();
      element.addEventListener('loadeddata', resolve, { once: true });
      element.addEventListener('error', () => reject(new Error(`the clip does not play: ${element.error?.message}`)), { once: true });
    }));
    assert.equal(Math.round(await clip.evaluate((element) => element.duration)), 2);
    assert.equal(ranges.length, 1);
    assert.match(ranges[0], /^bytes=\d{4,}-$/, 'only the clip is fetched, from where it starts');
    await screenshot(page, 'motion-photo-lightbox', { fullPage: false });
    // It plays once; the Motion button plays it again.
    await clip.waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByRole('button', { name: 'Motion' }).click();
    await page.getByTestId('motion-clip').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('photo-tile').first().waitFor();
  });

  test('a Live Photo plays its video while the mouse rests on it, and when it opens', async () => {
    const video = originals['IMG_0777.MOV'];
    const still = page.locator('[data-testid=photo-tile][title="IMG_0777.JPG"]');
    await page.mouse.move(0, 0);
    await still.hover();
    const moving = still.getByTestId('motion-clip');
    await moving.waitFor();
    assert.match(await moving.getAttribute('src'), new RegExp(`/o/${video}\\?`), 'the tile plays the MOV');
    await page.mouse.move(0, 0);
    await moving.waitFor({ state: 'detached' });

    await still.click();
    await page.getByTestId('lightbox-image').first().waitFor();
    const clip = page.locator('.lightbox-stage').getByTestId('motion-clip');
    await clip.waitFor();
    await clip.evaluate((element) => new Promise((resolve, reject) => {
      if (element.readyState >= 2) resolve();
      element.addEventListener('loadeddata', resolve, { once: true });
      element.addEventListener('error', () => reject(new Error(`the Live Photo does not play: ${element.error?.message}`)), { once: true });
    }));
    assert.equal(Math.round(await clip.evaluate((element) => element.duration)), 3);
    await screenshot(page, 'live-photo-lightbox', { fullPage: false });
    await clip.waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByRole('button', { name: 'Live' }).click();
    await clip.waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('photo-tile').first().waitFor();
  });

  test('a video plays in the lightbox, streamed: a seek to the middle asks for a range', async () => {
    const ranges = [];
    const original = originals['VID_20230714_163205.mp4'];
    page.on('request', (request) => {
      if (request.url().includes(`/o/${original}`)) ranges.push(request.headers().range ?? 'whole');
    });
    await page.locator('[data-testid=photo-tile][title="VID_20230714_163205.mp4"]').click();
    const video = page.getByTestId('lightbox-video');
    await video.waitFor();
    await video.evaluate((element) => new Promise((resolve, reject) => {
      if (element.readyState >= 1) resolve();
      element.addEventListener('loadedmetadata', resolve, { once: true });
      element.addEventListener('error', () => reject(new Error(`cannot play: ${element.error?.message}`)), { once: true });
    }));
    assert.equal(Math.round(await video.evaluate((element) => element.duration)), 60);
    const before = ranges.length;
    await video.evaluate((element) => new Promise((resolve) => {
      element.addEventListener('seeked', resolve, { once: true });
      element.currentTime = 30;
    }));
    assert.ok(ranges.every((range) => range.startsWith('bytes=')), `every request for it is ranged: ${ranges.join(', ')}`);
    const later = ranges.slice(before).map((range) => Number(/^bytes=(\d+)-/.exec(range)?.[1] ?? 0));
    assert.ok(later.some((start) => start > 10_000_000), `the seek fetched from the middle: ${ranges.join(', ')}`);
    await screenshot(page, 'video-lightbox', { fullPage: false });

    // Space pauses and plays; arrows still step to the next item.
    await page.keyboard.press(' ');
    const paused = await video.evaluate((element) => element.paused);
    await page.keyboard.press(' ');
    assert.notEqual(await video.evaluate((element) => element.paused), paused, 'space toggles playing');
    const at = page.url();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((was) => location.href !== was, at);
    assert.deepEqual(problems, []);
  });

  test('a link that keeps the place private plays a copy of the video, the Live Photo and the motion photo without it', async () => {
    const video = originals['VID_20230714_163205.mp4'];
    const users = await readdir(join(stack.dataDir, 'store', 'media', 'u'));
    const original = await readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], 'o', video));
    assert.ok(original.includes('+48.8577+002.2950'), 'the original says where it was taken');

    // The owner puts it in an album and shares it, the place kept private.
    await page.goto(stack.url);
    for (const name of ['VID_20230714_163205.mp4', 'IMG_0777.JPG', 'PXL_20240501_101010.MP.jpg']) {
      const tile = page.locator(`[data-testid=photo-tile][title="${name}"]`);
      await tile.hover();
      await tile.locator('.tile-check').click();
    }
    await page.getByRole('button', { name: 'Add to album' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 3 photos to an album' });
    await dialog.getByPlaceholder('Title').fill('Paris');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('album-note').getByRole('link', { name: 'Open album' }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const share = page.getByRole('dialog', { name: 'Share “Paris”' });
    await share.getByRole('button', { name: 'Create link' }).click();
    const url = await share.getByTestId('share-url').inputValue();
    await share.getByRole('button', { name: 'Done' }).click();

    // A friend opens it and presses Play.
    const friend = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const friendProblems = watchForProblems(friend);
    await friend.goto(url);
    await friend.locator('[data-testid=photo-tile][title="VID_20230714_163205.mp4"]').click();
    const play = friend.getByRole('button', { name: 'Play' });
    await play.waitFor();
    await friend.getByText('Shared without where it was taken.').waitFor();
    await screenshot(friend, 'shared-video-private-phone', { fullPage: false });
    await play.click();
    const player = friend.getByTestId('lightbox-video');
    await player.waitFor({ timeout: 60_000 });
    const source = await player.getAttribute('src');
    assert.ok(source.includes(`/s/${video}`) && !source.includes(`/o/${video}`), `the copy plays: ${source}`);
    await player.evaluate((element) => new Promise((resolve, reject) => {
      if (element.readyState >= 1) resolve();
      element.addEventListener('loadedmetadata', resolve, { once: true });
      element.addEventListener('error', () => reject(new Error(`the copy does not play: ${element.error?.message}`)), { once: true });
    }));
    assert.equal(Math.round(await player.evaluate((element) => element.duration)), 60);
    await screenshot(friend, 'shared-video-playing-phone', { fullPage: false });

    // The copy: the same length, the same pictures, and nowhere the place.
    const copy = await readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], 's', video));
    assert.equal(copy.length, original.length);
    assert.ok(!copy.includes('+48.8577+002.2950'), 'the copy does not say where');
    const mdat = original.indexOf('mdat');
    assert.ok(copy.subarray(mdat, mdat + 1_000_000).equals(original.subarray(mdat, mdat + 1_000_000)), 'the pictures are untouched');

    // The Live Photo and the motion photo move too, each from a copy made
    // for the link: the MOV without its QuickTime metadata, the clip as a
    // file of its own, without the picture (and its EXIF) before it.
    for (const [still, from, seconds] of [
      ['IMG_0777.JPG', originals['IMG_0777.MOV'], 3],
      ['PXL_20240501_101010.MP.jpg', originals['PXL_20240501_101010.MP.jpg'], 2],
    ]) {
      await friend.keyboard.press('Escape');
      await friend.locator(`[data-testid=photo-tile][title="${still}"]`).click();
      const clip = friend.locator('.lightbox-stage').getByTestId('motion-clip');
      await clip.waitFor({ timeout: 60_000 });
      const src = await clip.getAttribute('src');
      assert.ok(src.includes(`/s/${from}`) && !src.includes('/o/'), `${still} plays a copy: ${src}`);
      await clip.evaluate((element) => new Promise((resolve, reject) => {
        if (element.readyState >= 1) resolve();
        element.addEventListener('loadedmetadata', resolve, { once: true });
        element.addEventListener('error', () => reject(new Error(`the copy does not play: ${element.error?.message}`)), { once: true });
      }));
      assert.equal(Math.round(await clip.evaluate((element) => element.duration)), seconds, still);
      const copied = await readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], 's', from));
      assert.equal(copied.subarray(4, 8).toString('latin1'), 'ftyp', `${still}: a video file of its own`);
    }
    const liveCopy = await readFile(join(stack.dataDir, 'store', 'media', 'u', users[0], 's', originals['IMG_0777.MOV']));
    assert.ok(!liveCopy.includes('content.identifier'), 'the MOV copy keeps none of its QuickTime metadata');
    await screenshot(friend, 'shared-motion-photo-private-phone', { fullPage: false });
    assert.deepEqual(friendProblems, []);
    await friend.close();
  });
});
