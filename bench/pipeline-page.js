// Runs in headless Chromium for `cargo xtask bench`: our wasm pipeline against the
// browser's own (createImageBitmap + OffscreenCanvas + convertToBlob WebP), on the
// same files in the same page.
import init, { PhotoHasher, memory_bytes as memoryBytes, process } from '/pkg/pipeline_web.js';

const WEB_EDGE = 2048;
const THUMB_WIDTH = 400;
const QUALITY = 0.8;

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

async function encodeWebp(pixels) {
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d').putImageData(new ImageData(pixels.rgba, pixels.width, pixels.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/webp', quality: QUALITY });
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
  const [web, thumb] = await Promise.all([encodeWebp(result.web), encodeWebp(result.thumb)]);
  const done = performance.now();
  return {
    ...result.timings,
    hash: hashed - started,
    encode: done - processed,
    total: done - started,
    webBytes: web.size,
    thumbBytes: thumb.size,
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
  return { total: performance.now() - started, webBytes: web.size, thumbBytes: thumb.size };
}

window.runBench = async (names, iterations) => {
  await init();
  const results = [];
  for (const name of names) {
    const bytes = new Uint8Array(await (await fetch(`/photos/${name}`)).arrayBuffer());
    const blob = new Blob([bytes]);
    const runs = { name, bytes: bytes.length, ours: [], canvas: [] };
    for (let i = 0; i < iterations; i += 1) {
      runs.ours.push(await ours(bytes));
      runs.canvas.push(await canvasPipeline(blob));
    }
    results.push(runs);
  }
  return { results, memoryBytes: memoryBytes() };
};
window.benchReady = true;
