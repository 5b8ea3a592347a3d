// The photo worker: one per core (at most four), so the page never decodes.
// For each File it is sent: the photo id (SHA-256, streamed), then our wasm
// pipeline (metadata, decode, resize, orient, placeholder), then the browser's own
// WebP encoder for the two previews. HEIC/AVIF that our decoder cannot read are
// tried with the browser's decoder (Safari has one); failing that the photo is
// reported "no preview" and its original is still uploaded.
//
// Message in:  { job, file }
// Message out: { job, ok: true, id, format, metadata (JSON text), width, height
//                (the original's, upright, when known), web, thumb,
//                placeholder, noPreview, timings } or { job, ok: false, error, fatal }.
// `fatal` means the wasm trapped (a panic, out of memory): its state can no longer
// be trusted, so the pool replaces this worker. The pool also enforces the time
// limit, by terminating the worker.
import init, { PhotoHasher, previews_from_rgba as previewsFromRgba, process } from './pipeline_web.js';

const ready = init();
// WebP quality for each preview. Our Lanczos3 previews are sharper than the
// canvas's, so the same quality costs more bytes: at these settings ours are no
// larger than canvas WebP q0.8 and no worse on PSNR/SSIM (`cargo xtask bench`).
const QUALITY = { web: 0.77, thumb: 0.75 };

async function photoId(file) {
  const hasher = new PhotoHasher();
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hasher.update(value);
  }
  return hasher.finish();
}

/** WebP where the browser can make it; JPEG where it cannot (Safari returns PNG for WebP). */
async function encode(pixels, quality) {
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d').putImageData(new ImageData(pixels.rgba, pixels.width, pixels.height), 0, 0);
  let blob = await canvas.convertToBlob({ type: 'image/webp', quality });
  if (blob.type !== 'image/webp') blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return { blob, width: pixels.width, height: pixels.height };
}

/** The browser's own decoder (HEIC in Safari), upright, as RGBA for our resizer. */
async function browserDecode(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const previews = previewsFromRgba(bitmap.width, bitmap.height, new Uint8Array(data.buffer));
    previews.width = bitmap.width;
    previews.height = bitmap.height;
    return previews;
  } finally {
    bitmap.close();
  }
}

async function handle(file) {
  const started = performance.now();
  const id = await photoId(file);
  const hashed = performance.now();
  const result = process(new Uint8Array(await file.arrayBuffer()));
  let previews = result.web ? result : null;
  let size = result.width ? { width: result.width, height: result.height } : null;
  let noPreview = result.no_preview ?? null;
  if (!previews && noPreview === 'NeedsBrowserDecoder') {
    try {
      previews = await browserDecode(file);
      size = { width: previews.width, height: previews.height };
      noPreview = null;
    } catch {
      // This browser cannot decode it either: the original is still kept.
    }
  }
  const processed = performance.now();
  const [web, thumb] = previews ? await Promise.all([encode(previews.web, QUALITY.web), encode(previews.thumb, QUALITY.thumb)]) : [null, null];
  const encoded = performance.now();
  return {
    id,
    format: result.format,
    metadata: result.metadata,
    width: size?.width ?? null,
    height: size?.height ?? null,
    web,
    thumb,
    placeholder: previews?.placeholder ? btoa(String.fromCharCode(...previews.placeholder)) : null,
    noPreview,
    timings: {
      hash: hashed - started,
      ...result.timings,
      process: processed - hashed,
      encode: encoded - processed,
      total: encoded - started,
    },
  };
}

self.onmessage = async ({ data: { job, file } }) => {
  try {
    await ready;
    self.postMessage({ job, ok: true, ...(await handle(file)) });
  } catch (error) {
    const fatal = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ job, ok: false, error: String(error?.message ?? error), fatal });
  }
};
