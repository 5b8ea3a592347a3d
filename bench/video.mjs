// `cargo xtask bench` part eight: videos, on the real local stack (release
// build) in headless Chromium.
// 1. A 1 GB video uploaded end to end through the app (hash, container, poster,
//    parts, commit), and its transfer alone; against the same bytes sent with
//    `curl` to presigned part URLs of the same store in the same run (four at a
//    time, as the app sends them): the ceiling; and by a bare page's
//    XMLHttpRequests: what Chromium itself can send. The tab's memory is the
//    renderer's resident size, sampled through the upload, next to an empty
//    page's.
// 2. Time to poster for a 4K, 60 s H.264 clip: the hidden player opening it,
//    seeking, and the worker making the previews from that frame.
// 3. The extra memory of hashing: the photo worker on a 256 MB and a 4 GB
//    file; flat means the file is streamed, never held.
// Needs ffmpeg and curl (`cargo xtask setup --media`).
import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser, signIn, startStack } from '../e2e/harness.mjs';

const run = promisify(execFile);
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const dir = await mkdtemp(join(tmpdir(), 'shoebox-bench-video-'));

/** A small real clip (moov first) grown with zeros to `bytes`, sparse on disk. */
async function paddedClip(name, bytes) {
  const path = join(dir, name);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '4',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path]);
  await truncate(path, bytes);
  return path;
}

/** The resident size of the page's renderer process (MB); workers live in it. */
async function rendererMb(browserPid) {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=,rss=,args=']).catch(() => ({ stdout: '' }));
  const rows = stdout.split('\n').map((line) => line.trim().split(/\s+/)).filter((row) => row.length > 3);
  const renderers = rows.filter((row) => row.slice(3).join(' ').includes('--type=renderer'));
  return Math.max(0, ...renderers.map((row) => Number(row[2]) / 1024));
}

/** Samples the renderer's memory until `done` settles: the peak, in MB. */
async function peakMemoryWhile(done) {
  let peak = 0;
  let finished = false;
  const watching = (async () => {
    while (!finished) {
      peak = Math.max(peak, await rendererMb());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    return { result: await done, peak };
  } finally {
    finished = true;
    await watching;
  }
}

/**
 * The browser's own ceiling: `path`'s parts PUT from the page by plain
 * XMLHttpRequests, four at a time, no app around them (seconds).
 */
async function bareBrowserPuts(page, api, path) {
  const id = 'dd'.repeat(32);
  const answer = await api('POST', '/uploads', {
    in_parts: true,
    files: [{ id, bytes: GIB, content_type: 'video/mp4', filename: 'bare.mp4', thumb: null, web: null }],
  });
  const { upload_id: uploadId, plan } = answer.files[0].targets.original;
  const targets = [];
  for (let first = 1; first <= plan.parts; first += 100) {
    const numbers = Array.from({ length: Math.min(100, plan.parts - first + 1) }, (_, i) => first + i);
    targets.push(...(await api('POST', `/uploads/${id}/parts`, { upload_id: uploadId, bytes: GIB, numbers })).parts);
  }
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-bare' });
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles('#bench-bare', path);
  const seconds = await page.evaluate(async ({ targets, partBytes }) => {
    const file = document.getElementById('bench-bare').files[0];
    const queue = [...targets];
    const put = ({ number, target }) => new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open(target.method, target.url);
      for (const [name, value] of Object.entries(target.headers)) {
        if (name.toLowerCase() !== 'content-length') request.setRequestHeader(name, value);
      }
      request.upload.onprogress = () => {};
      request.onloadend = () => (request.status >= 200 && request.status < 300 ? resolve() : reject(new Error(`part ${number}: ${request.status}`)));
      request.send(file.slice((number - 1) * partBytes, number * partBytes));
    });
    const started = performance.now();
    await Promise.all([1, 2, 3, 4].map(async () => {
      while (queue.length) await put(queue.shift());
    }));
    document.getElementById('bench-bare').remove();
    return (performance.now() - started) / 1000;
  }, { targets, partBytes: plan.part_bytes });
  await api('DELETE', `/uploads/${id}/parts?upload_id=${encodeURIComponent(uploadId)}`);
  return seconds;
}

const stack = await startStack();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext()).newPage();
  // What this Chromium's renderer holds for an empty page: the floor under the
  // tab's memory below.
  await page.goto('about:blank');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const blank = await rendererMb();
  let token;
  page.on('request', (request) => {
    const auth = request.headers().authorization;
    if (auth?.startsWith('Bearer ') && request.url().includes('/api/')) token = auth;
  });
  await page.goto(stack.url);
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
  await signIn(page, stack.firstUser);
  const api = async (method, path, body) => {
    const response = await fetch(new URL(`/api${path}`, stack.url), {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };

  // 1. 1 GB through the app.
  const big = await paddedClip('VID_1gb.mp4', GIB);
  const idle = await rendererMb();
  const { result: appSeconds, peak } = await peakMemoryWhile((async () => {
    await page.evaluate(() => performance.clearMeasures());
    const started = performance.now();
    await page.getByTestId('upload-input').setInputFiles(big);
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 900_000 });
    return (performance.now() - started) / 1000;
  })());
  const measures = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('measure')
    .filter((entry) => entry.name.startsWith('shoebox:')).map((entry) => [entry.name.slice(8), entry.duration / 1000])));

  // The ceiling: the same bytes, cut the same way, sent by curl four at a time.
  const id = 'ee'.repeat(32);
  const answer = await api('POST', '/uploads', {
    in_parts: true,
    files: [{ id, bytes: GIB, content_type: 'video/mp4', filename: 'ceiling.mp4', thumb: null, web: null }],
  });
  const { upload_id: uploadId, plan } = answer.files[0].targets.original;
  const source = await open(big);
  const config = [];
  for (let first = 1; first <= plan.parts; first += 100) {
    const numbers = Array.from({ length: Math.min(100, plan.parts - first + 1) }, (_, i) => first + i);
    const signed = await api('POST', `/uploads/${id}/parts`, { upload_id: uploadId, bytes: GIB, numbers });
    for (const { number, target } of signed.parts) {
      const length = Math.min(plan.part_bytes, GIB - (number - 1) * plan.part_bytes);
      const piece = Buffer.alloc(length);
      await source.read(piece, 0, length, (number - 1) * plan.part_bytes);
      const path = join(dir, `part-${number}`);
      await writeFile(path, piece);
      config.push(`url = "${target.url}"`, `upload-file = "${path}"`, 'output = "/dev/null"');
    }
  }
  await source.close();
  await writeFile(join(dir, 'curl.conf'), `${config.join('\n')}\n`);
  const curlStarted = performance.now();
  await run('curl', ['--silent', '--show-error', '--fail', '--parallel', '--parallel-max', '4', '-K', join(dir, 'curl.conf')], { maxBuffer: 1 << 24 });
  const curlSeconds = (performance.now() - curlStarted) / 1000;
  await api('DELETE', `/uploads/${id}/parts?upload_id=${encodeURIComponent(uploadId)}`);
  const browserSeconds = await bareBrowserPuts(page, api, big);

  const mbps = (seconds) => (GIB / 1e6 / seconds).toFixed(0);
  console.log('\nA 1 GB video uploaded on loopback (local stack, release build; headless Chromium; 8 MiB parts, 4 at a time)\n');
  console.log('| path | seconds | MB/s | of curl |');
  console.log('|---|---:|---:|---:|');
  console.log(`| the app, end to end (hash, read, poster, parts, commit) | ${appSeconds.toFixed(1)} | ${mbps(appSeconds)} | ${(curlSeconds / appSeconds).toFixed(2)} |`);
  console.log(`| the app's parts alone (shoebox:transfer) | ${measures.transfer.toFixed(1)} | ${mbps(measures.transfer)} | ${(curlSeconds / measures.transfer).toFixed(2)} |`);
  console.log(`| Chromium alone: the same parts PUT by a bare page (XHR, four at a time) | ${browserSeconds.toFixed(1)} | ${mbps(browserSeconds)} | ${(curlSeconds / browserSeconds).toFixed(2)} |`);
  console.log(`| curl, the same parts to the same store | ${curlSeconds.toFixed(1)} | ${mbps(curlSeconds)} | 1.00 |`);
  console.log(`\nOf the app's time: hashing and reading the container ${measures.prepare.toFixed(1)} s (of which the poster ${(measures.poster ?? 0).toFixed(1)} s); the id (SHA-256) must be known before the first part is signed. Tab memory (renderer resident size): ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at the peak of the upload; an empty page's renderer in this Chromium: ${blank.toFixed(0)} MB.`);

  // 2. Time to poster, 4K 60 s H.264 (10 frames a second keeps ffmpeg quick).
  const fourK = join(dir, 'VID_4k.mp4');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=3840x2160:rate=10', '-t', '60',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', fourK]);
  const posters = [];
  for (let i = 0; i < 3; i += 1) {
    // A different last byte each time: a new video to the dedup.
    const copy = join(dir, `VID_4k_${i}.mp4`);
    const bytes = await readFile(fourK);
    await writeFile(copy, Buffer.concat([bytes, Buffer.from([i])]));
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.evaluate(() => performance.clearMeasures());
    await page.getByTestId('upload-input').setInputFiles(copy);
    await page.getByRole('heading', { name: '1 photo backed up' }).waitFor({ timeout: 300_000 });
    posters.push(await page.evaluate(() => performance.getEntriesByName('shoebox:poster')[0]?.duration ?? NaN));
  }
  const size = (await readFile(fourK)).length;
  posters.sort((a, b) => a - b);
  console.log(`\nTime to poster, a 4K (3840×2160) 60 s H.264 clip of ${(size / 1e6).toFixed(0)} MB: open, seek to 1 s, draw, previews (3 runs)\n`);
  console.log('| median ms | min ms | max ms |');
  console.log('|---:|---:|---:|');
  console.log(`| ${posters[1].toFixed(0)} | ${posters[0].toFixed(0)} | ${posters[2].toFixed(0)} |`);

  // 3. Hashing memory: the photo worker alone, on a 256 MB and a 4 GB file.
  const rows = [];
  for (const bytes of [256 * MIB, 4 * GIB]) {
    const path = await paddedClip(`VID_${bytes}.mp4`, bytes);
    await page.evaluate(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-file' });
      input.hidden = true;
      document.body.append(input);
    });
    await page.setInputFiles('#bench-file', path);
    const before = await rendererMb();
    const { result: seconds, peak: top } = await peakMemoryWhile(page.evaluate(() => new Promise((resolve, reject) => {
      const worker = new Worker('/worker/photo-worker.js', { type: 'module' });
      const file = document.getElementById('bench-file').files[0];
      const started = performance.now();
      worker.onmessage = ({ data }) => {
        worker.terminate();
        document.getElementById('bench-file').remove();
        if (data.ok) resolve((performance.now() - started) / 1000);
        else reject(new Error(data.error));
      };
      worker.postMessage({ job: 1, file });
    })));
    rows.push({ bytes, seconds, before, top });
    await rm(path);
  }
  console.log('\nHashing a video in the photo worker (SHA-256 streamed, container read in slices): the tab\'s extra memory\n');
  console.log('| file | seconds | MB/s | renderer before MB | peak MB | extra MB |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const { bytes, seconds, before, top } of rows) {
    console.log(`| ${(bytes / 1e6).toFixed(0)} MB | ${seconds.toFixed(1)} | ${(bytes / 1e6 / seconds).toFixed(0)} | ${before.toFixed(0)} | ${top.toFixed(0)} | ${(top - before).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
