// `cargo xtask bench` part four: the upload path end to end on loopback. Starts
// the real local stack (release build), signs in, makes 20 distinct 24 MP camera-
// sized JPEGs in the page, hands them to the upload button, and times the batch
// until the panel says all 20 are backed up. Where the time went comes from the
// queue's own User Timing measures (shoebox:prepare, :presign, :transfer, :commit).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, signIn, startStack } from '../e2e/harness.mjs';

const corpus = process.env.CORPUS;
const COUNT = 20;
const SOURCE = 'real/samsung_galaxy_s7edge_12mp_gps.jpg';

const stack = await startStack();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(stack.url);
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
  await signIn(page, stack.firstUser);

  const source = (await readFile(join(corpus, SOURCE))).toString('base64');
  const made = await page.evaluate(async ([base64, count]) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes]));
    const canvas = new OffscreenCanvas(6000, 4000);
    const context = canvas.getContext('2d');
    const files = [];
    for (let i = 0; i < count; i += 1) {
      context.drawImage(bitmap, 0, 0, 6000, 4000);
      // A different mark on each, so each is a new photo to the dedup.
      context.fillStyle = `rgb(${i * 12}, ${255 - i * 12}, 128)`;
      context.fillRect(40 + i * 30, 40, 24, 24);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      files.push(new File([blob], `bench-24mp-${String(i).padStart(2, '0')}.jpg`, { type: 'image/jpeg' }));
    }
    window.benchFiles = files;
    return files.reduce((sum, file) => sum + file.size, 0);
  }, [source, COUNT]);

  const started = performance.now();
  await page.evaluate(() => {
    performance.clearMeasures();
    const input = document.querySelector('[data-testid=upload-input]');
    const transfer = new DataTransfer();
    for (const file of window.benchFiles) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.getByRole('heading', { name: `${COUNT} photos backed up` }).waitFor({ timeout: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  const spans = await page.evaluate(() => {
    const by = {};
    for (const entry of performance.getEntriesByType('measure')) {
      if (!entry.name.startsWith('shoebox:')) continue;
      (by[entry.name.slice(8)] ??= []).push(entry.duration);
    }
    return by;
  });
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const sum = (values) => values.reduce((total, value) => total + value, 0);

  console.log(`\nUpload, end to end on loopback (${COUNT} distinct 24 MP JPEGs, ${(made / 1e6).toFixed(0)} MB; local stack, release build; headless Chromium)\n`);
  console.log('| photos | MB | seconds | photos/s | MB/s (originals) |');
  console.log('|---:|---:|---:|---:|---:|');
  console.log(`| ${COUNT} | ${(made / 1e6).toFixed(0)} | ${seconds.toFixed(1)} | ${(COUNT / seconds).toFixed(2)} | ${(made / 1e6 / seconds).toFixed(1)} |`);
  console.log('\nWhere the time goes, per photo (ms; files overlap: the queue runs several at once)\n');
  console.log('| stage | median | total of all photos |');
  console.log('|---|---:|---:|');
  for (const stage of ['prepare', 'presign', 'transfer', 'commit']) {
    const values = spans[stage] ?? [];
    console.log(`| ${stage} | ${values.length ? median(values).toFixed(0) : '-'} | ${sum(values).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await stack.stop();
}
