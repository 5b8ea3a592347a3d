// Runs in headless Chromium for `cargo xtask bench`: our wasm pipeline against the
// browser's own (createImageBitmap + OffscreenCanvas + convertToBlob WebP), on the
// same files in the same page.
import init, { PhotoHasher, memory_bytes as memoryBytes, process } from '/pkg/pipeline_web.js';

const WEB_EDGE = 2048;
const THUMB_WIDTH = 400;
// The canvas pipeline at the usual q0.8; ours at photo-worker.js's settings, or
// others from the page's query (?web=&thumb=) to explore the size/quality trade.
const QUALITY = 0.8;
const query = new URLSearchParams(location.search);
const OUR_QUALITY = { web: Number(query.get('web') ?? 0.77), thumb: Number(query.get('thumb') ?? 0.75) };

function fitLongEdge(width, height, edge) {
  const long = Math.max(width, height);
  if (long <= edge) return [width, height];
  const scale = edge / long;
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

function thumbSize(width, height) {
  if (width <= THUMB_WIDTH) return [width, height];
  return [THUMB_WIDTH, Math.max(1, Math.round((height * THUMB_WIDTH) / width))];
}

async function encodeWebp(pixels, quality) {
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d').putImageData(new ImageData(pixels.rgba, pixels.width, pixels.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/webp', quality });
}

async function ours(bytes) {
  const started = performance.now();
  const hasher = new PhotoHasher();
  hasher.update(bytes);
  hasher.finish();
  const hashed = performance.now();
  const result = process(bytes);
  const processed = performance.now();
  // Both encodes at once: the browser encodes off the calling thread.
  const [web, thumb] = await Promise.all([encodeWebp(result.web, OUR_QUALITY.web), encodeWebp(result.thumb, OUR_QUALITY.thumb)]);
  const done = performance.now();
  return {
    ...result.timings,
    hash: hashed - started,
    encode: done - processed,
    total: done - started,
    webBytes: web.size,
    thumbBytes: thumb.size,
    blobs: { web, thumb },
  };
}

async function canvasPipeline(blob) {
  const started = performance.now();
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  const [width, height] = fitLongEdge(bitmap.width, bitmap.height, WEB_EDGE);
  const webCanvas = new OffscreenCanvas(width, height);
  const webContext = webCanvas.getContext('2d');
  webContext.imageSmoothingQuality = 'high';
  webContext.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const [thumbWidth, thumbHeight] = thumbSize(width, height);
  const thumbCanvas = new OffscreenCanvas(thumbWidth, thumbHeight);
  const thumbContext = thumbCanvas.getContext('2d');
  thumbContext.imageSmoothingQuality = 'high';
  thumbContext.drawImage(webCanvas, 0, 0, thumbWidth, thumbHeight);
  const [web, thumb] = await Promise.all([
    webCanvas.convertToBlob({ type: 'image/webp', quality: QUALITY }),
    thumbCanvas.convertToBlob({ type: 'image/webp', quality: QUALITY }),
  ]);
  return { total: performance.now() - started, webBytes: web.size, thumbBytes: thumb.size, blobs: { web, thumb } };
}

/** A minimal EXIF APP1 segment that says only "Orientation: 6". */
function orientation6App1() {
  const tiff = [
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation SHORT 6
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ];
  const body = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff]; // "Exif\0\0"
  const length = body.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...body]);
}

/**
 * A realistic 24 MP camera JPEG taken sideways: a real 12 MP phone photo scaled to
 * 6000x4000 by the browser, JPEG q0.95, with EXIF orientation 6 spliced in.
 */
async function synthetic24mp(sourceName) {
  const source = await (await fetch(`/photos/${sourceName}`)).blob();
  const bitmap = await createImageBitmap(source, { imageOrientation: 'none' });
  const canvas = new OffscreenCanvas(6000, 4000);
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, 6000, 4000);
  bitmap.close();
  const jpeg = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer());
  const app1 = orientation6App1();
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}

async function load(name) {
  if (name === 'synthetic-24mp-orient6.jpg') return synthetic24mp('real/samsung_galaxy_s7edge_12mp_gps.jpg');
  return new Uint8Array(await (await fetch(`/photos/${name}`)).arrayBuffer());
}

/** Photos per second through a pool of module workers, as the upload queue runs them. */
async function poolThroughput(names, count) {
  const size = Math.min(4, navigator.hardwareConcurrency || 2);
  const files = await Promise.all(names.map(async (name) => new File([await load(name)], name.split('/').pop())));
  const workers = Array.from({ length: size }, () => new Worker('/pkg/photo-worker.js', { type: 'module' }));
  const started = performance.now();
  let next = 0;
  let failures = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (next < count) {
        const job = next;
        next += 1;
        const answer = await new Promise((resolve) => {
          worker.onmessage = ({ data }) => resolve(data);
          worker.postMessage({ job, file: files[job % files.length] });
        });
        if (!answer.ok) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  workers.forEach((worker) => worker.terminate());
  return { workers: size, count, failures, seconds, perSecond: count / seconds };
}

/** Hands a file to the bench server, which keeps it for the quality measurement. */
async function keep(name, body) {
  const response = await fetch(`/out/${encodeURIComponent(name)}`, { method: 'PUT', body });
  if (!response.ok) throw new Error(`could not keep ${name}: ${response.status}`);
  return name;
}

/** The last run's outputs, and the original they came from, for quality.py. */
async function keepOutputs(name, bytes, runs) {
  const base = name.split('/').pop().replace(/\.[^.]+$/, '');
  const kept = { name, source: name.startsWith('synthetic') ? await keep(name, bytes) : null, outputs: {} };
  for (const pipeline of ['ours', 'canvas']) {
    const { blobs } = runs[pipeline].at(-1);
    for (const variant of ['web', 'thumb']) {
      kept.outputs[`${variant}.${pipeline}`] = await keep(`${base}.${variant}.${pipeline}.webp`, blobs[variant]);
    }
  }
  for (const run of [...runs.ours, ...runs.canvas]) delete run.blobs;
  return kept;
}

window.runBench = async (names, iterations) => {
  await init();
  const results = [];
  for (const name of names) {
    const bytes = await load(name);
    const blob = new Blob([bytes]);
    const runs = { name, bytes: bytes.length, ours: [], canvas: [] };
    for (let i = 0; i < iterations; i += 1) {
      runs.ours.push(await ours(bytes));
      runs.canvas.push(await canvasPipeline(blob));
    }
    runs.kept = await keepOutputs(name, bytes, runs);
    results.push(runs);
  }
  const memory = memoryBytes();
  const pool = await poolThroughput(names, 20);
  return { results, memoryBytes: memory, pool };
};
window.benchReady = true;
