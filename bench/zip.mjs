// `cargo xtask bench` part eleven: many originals as one zip, on the real
// local stack (release build) in headless Chromium. Seeds an album of 300
// distinct 16 MB originals (4.8 GB; BENCH_ZIP_FILES and BENCH_ZIP_MB change
// that) through the API (POST /uploads, one PUT each, POST /photos), then:
// 1. the album downloaded as one zip through the app (its Download button,
//    the service worker zipping as the originals stream in): seconds and MB/s
//    from the press of "Download zip" until the file is whole on disk, and
//    the browser's memory meanwhile (the peak resident size of its renderer
//    processes, the page's and the service worker's, over their size idle);
// 2. the same originals fetched by the page one after another and thrown
//    away, no zip: the ceiling the zip is held against;
// 3. every CRC in the zip checked by Python's zipfile.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { launchBrowser, signIn, startStack } from '../e2e/harness.mjs';
import { accessToken } from './signin.mjs';

const run = promisify(execFile);
const FILES = Number(process.env.BENCH_ZIP_FILES ?? 300);
const BYTES = Number(process.env.BENCH_ZIP_MB ?? 16) * 1_000_000;

/** The resident size of every renderer process of the browser (MB): the page's and its workers'. */
async function renderersMb() {
  const { stdout } = await run('ps', ['-e', '-o', 'rss=,args=']).catch(() => ({ stdout: '' }));
  return stdout.split('\n')
    .filter((line) => line.includes('--type=renderer'))
    .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[0]) / 1024, 0);
}

const stack = await startStack();
const browser = await launchBrowser();
try {
  const token = `Bearer ${await accessToken(stack.url, stack.firstUser)}`;
  const api = async (method, path, body) => {
    const response = await fetch(new URL(`/api${path}`, stack.url), {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };

  // The originals: one random body, each copy with its own first bytes.
  const base = randomBytes(BYTES);
  const ids = [];
  const seeding = performance.now();
  for (let i = 0; i < FILES; i += 1) {
    base.writeUInt32BE(i, 0);
    const id = createHash('sha256').update(base).digest('hex');
    const file = { id, bytes: BYTES, content_type: 'image/jpeg', filename: `IMG_${String(i % 100).padStart(4, '0')}.JPG`, thumb: null, web: null };
    const answer = await api('POST', '/uploads', { files: [file] });
    const target = answer.files[0].targets.original;
    const put = await fetch(target.url, { method: target.method, headers: target.headers, body: base });
    if (!put.ok) throw new Error(`PUT ${i}: ${put.status} ${await put.text()}`);
    await api('POST', '/photos', {
      id, filename: file.filename, content_type: 'image/jpeg', bytes: BYTES, width: null, height: null,
      taken_at: `20${String(10 + (i % 14)).padStart(2, '0')}-0${1 + (i % 9)}-15T12:00:00Z`,
      metadata: {}, placeholder: null, thumb: null, web: null,
    });
    ids.push(id);
  }
  const album = await api('POST', '/albums', { title: 'Bench', photo_ids: ids.slice(0, 1000) });
  process.stderr.write(`zip bench: seeded ${FILES} originals of ${BYTES / 1e6} MB in ${((performance.now() - seeding) / 1000).toFixed(0)} s\n`);

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
  await signIn(page, stack.firstUser);
  await page.goto(new URL(`/albums/${album.id}`, stack.url).href);
  await page.getByTestId('album-title').waitFor();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = await renderersMb();

  // 1. The zip through the app.
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  let peak = idle;
  let zipping = true;
  const watching = (async () => {
    while (zipping) {
      peak = Math.max(peak, await renderersMb());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const started = performance.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('dialog', { name: 'Download as one zip' }).getByRole('button', { name: 'Download zip' }).click(),
  ]);
  const path = await download.path();
  const zipSeconds = (performance.now() - started) / 1000;
  zipping = false;
  await watching;
  const zipBytes = (await stat(path)).size;

  // 2. The same originals, fetched by the page one after another, no zip.
  const urls = [];
  for (let first = 0; first < ids.length; first += 500) {
    urls.push(...(await api('POST', '/downloads', { ids: ids.slice(first, first + 500) })).items.map((item) => item.url));
  }
  const fetchSeconds = await page.evaluate(async (urls) => {
    const started = performance.now();
    for (const url of urls) {
      const reader = (await fetch(url)).body.getReader();
      while (!(await reader.read()).done) { /* thrown away */ }
    }
    return (performance.now() - started) / 1000;
  }, urls);

  // 3. Every CRC.
  const check = await run('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.infolist()))', path], { maxBuffer: 1 << 20 });
  await rm(path, { force: true });

  const total = FILES * BYTES;
  const mbps = (seconds) => (total / 1e6 / seconds).toFixed(0);
  console.log(`\n${FILES} originals (${(total / 1e9).toFixed(1)} GB) as one zip on loopback (local stack, release build; headless Chromium)\n`);
  console.log('| path | seconds | MB/s | of fetching alone |');
  console.log('|---|---:|---:|---:|');
  console.log(`| the album's Download as one zip (service worker, client-zip), until the file is whole | ${zipSeconds.toFixed(1)} | ${mbps(zipSeconds)} | ${(fetchSeconds / zipSeconds).toFixed(2)} |`);
  console.log(`| the same originals fetched by the page one after another, thrown away | ${fetchSeconds.toFixed(1)} | ${mbps(fetchSeconds)} | 1.00 |`);
  console.log(`\nThe zip: ${(zipBytes / 1e9).toFixed(2)} GB; Python's testzip: ${check.stdout.trim()} (None: every CRC right; then the entries). The browser's renderers (page and service worker) while zipping: ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at the peak: ${(peak - idle).toFixed(0)} MB more (goal: the tab under 200 MB).`);
} finally {
  await browser.close();
  await stack.stop();
}
