// The photo worker: one per core (at most four), so the page never decodes.
// For each File it is sent: the photo id (SHA-256, streamed), then our wasm
// pipeline (metadata, decode, resize, orient, placeholder), then the browser's own
// WebP encoder for the two previews. HEIC/AVIF that our decoder cannot read,
// and pictures it fails on (an arithmetic-coded JPEG), are tried with the
// browser's decoder (Safari has HEIC, Chromium AVIF); a HEIC it
// cannot decode goes to our HEIC decoder (`pipeline-heic`, loaded on first
// use); failing that the photo is reported "no preview" and its original is
// still uploaded. A camera RAW whose embedded preview is missing or smaller
// than the web view is developed from its sensor data (`pipeline-raw`, loaded
// on first use too).
//
// A video is hashed the same way, then only its container is read (in slices,
// never the whole file): its date, place, size and duration. Its poster is a
// frame the page draws (workers have no <video>) and sends back as `frame`.
//
// Message in:  { job, file } or { job, frame (an ImageBitmap) }
// Message out: { job, ok: true, id, format, mime, metadata (JSON text), video
//                (JSON text, videos only), motion (JSON text, a motion photo's
//                clip), width, height (the original's,
//                upright, when known), web, thumb, placeholder, noPreview,
//                timings }; for a frame { job, ok: true, web, thumb,
//                placeholder }; or { job, ok: false, error, fatal }.
// `retire` (with ok) means the HEIC decoder or the RAW developer trapped: the
// file is answered without that decoder's preview, and the pool replaces this
// worker.
// `fatal` means the wasm trapped (a panic, out of memory): its state can no longer
// be trusted, so the pool replaces this worker. The pool also enforces the time
// limit, by terminating the worker.
import init, {
  head_facts as headFacts,
  PhotoHasher,
  previews_from_rgba as previewsFromRgba,
  process,
  video_info as videoInfo,
  video_mime as videoMime,
} from './pipeline_web.js';
import { eachChunk } from './file-bytes.js';

const ready = init();
// WebP quality for each preview. Our Lanczos3 previews are sharper than the
// canvas's, so the same quality costs more bytes: at these settings ours are no
// larger than canvas WebP q0.8 and no worse on PSNR/SSIM (`cargo xtask bench`).
const QUALITY = { web: 0.77, thumb: 0.75 };
// A picture larger than this is not read whole (a worker holding gigabytes
// would be killed): it is backed up with what its first bytes say, and no
// preview. The largest camera files (a 100 MP RAW, a 48 MP HEIC) are well under.
const MAX_WHOLE_BYTES = 512 * 1024 * 1024;
const HEAD_BYTES = 4 * 1024 * 1024;

async function photoId(file) {
  const hasher = new PhotoHasher();
  await eachChunk(file, (chunk) => hasher.update(chunk));
  return hasher.finish();
}

/**
 * A decoder of the worker's that most libraries never need, loaded when the
 * first file needing it arrives: the HEIC decoder (`pipeline-heic`, for HEICs
 * the browser cannot decode) and the RAW developer (`pipeline-raw`, for RAWs
 * without a big enough preview). A failed load is tried again with the next
 * such file.
 */
function lazyModule(url) {
  let loading = null;
  return () => {
    loading ??= import(url)
      .then(async (module) => {
        await module.default();
        return module;
      })
      .catch((error) => {
        loading = null;
        throw error;
      });
    return loading;
  };
}

const heicDecoder = lazyModule('./pipeline_heic.js');
const rawDeveloper = lazyModule('./pipeline_raw.js');

/** The pixels in a preview. */
const area = (pixels) => pixels.width * pixels.height;

/** WebP where the browser can make it; JPEG where it cannot (Safari returns PNG for WebP). */
async function encode(pixels, quality) {
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d').putImageData(new ImageData(pixels.rgba, pixels.width, pixels.height), 0, 0);
  let blob = await canvas.convertToBlob({ type: 'image/webp', quality });
  if (blob.type !== 'image/webp') blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return { blob, width: pixels.width, height: pixels.height };
}

/** Previews (as pixels) from a decoded bitmap, which is closed after. */
function previewsFromBitmap(bitmap) {
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

/** The browser's own decoder (HEIC in Safari), upright, as RGBA for our resizer. */
async function browserDecode(file) {
  return previewsFromBitmap(await createImageBitmap(file, { imageOrientation: 'from-image' }));
}

/** A video's poster: previews from the frame the page drew. */
async function poster(frame) {
  const previews = previewsFromBitmap(frame);
  const [web, thumb] = await Promise.all([encode(previews.web, QUALITY.web), encode(previews.thumb, QUALITY.thumb)]);
  return { web, thumb, placeholder: placeholderText(previews.placeholder) };
}

function placeholderText(bytes) {
  return bytes ? btoa(String.fromCharCode(...bytes)) : null;
}

/** A picture too large to read whole: the facts at its start, no preview. */
async function tooLarge(file, id, timings) {
  const facts = headFacts(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()));
  const read = performance.now();
  return {
    id,
    format: facts.format,
    metadata: facts.metadata,
    width: null,
    height: null,
    web: null,
    thumb: null,
    placeholder: null,
    noPreview: 'TooLargeToRead',
    timings: { hash: timings.hashed - timings.started, process: read - timings.hashed, total: read - timings.started },
  };
}

/**
 * A video: its container's facts. One whose container cannot be read (cut
 * short, damaged) is still backed up as it is, without them.
 */
function video(file, id, mime, timings) {
  let info = null;
  let noPreview = 'Video';
  try {
    info = videoInfo(file);
  } catch {
    noPreview = 'UnreadableVideo';
  }
  const read = performance.now();
  return {
    id,
    format: info?.format ?? 'video',
    mime,
    metadata: info?.metadata ?? '{}',
    video: info?.video ?? '{}',
    width: info?.width ?? null,
    height: info?.height ?? null,
    web: null,
    thumb: null,
    placeholder: null,
    noPreview,
    timings: { hash: timings.hashed - timings.started, process: read - timings.hashed, total: read - timings.started },
  };
}

/**
 * Our pipeline's answer. A picture of a format it knows that it cannot decode
 * (a 12-bit or arithmetic-coded JPEG, an unusual TIFF) is answered with the
 * facts at its start and no preview, for the browser's decoder to try: its
 * original is kept either way. Any other refusal (empty, too large, not a
 * picture) is thrown.
 */
function ourPipeline(bytes) {
  try {
    return process(bytes);
  } catch (error) {
    if (error?.name !== 'Undecodable') throw error;
    const facts = headFacts(bytes.subarray(0, HEAD_BYTES));
    return { format: facts.format, metadata: facts.metadata, no_preview: 'Undecodable' };
  }
}

async function handle(file) {
  const started = performance.now();
  const id = await photoId(file);
  const hashed = performance.now();
  const mime = videoMime(new Uint8Array(await file.slice(0, 64).arrayBuffer()));
  if (mime) return video(file, id, mime, { started, hashed });
  if (file.size > MAX_WHOLE_BYTES) return tooLarge(file, id, { started, hashed });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = ourPipeline(bytes);
  let previews = result.web ? result : null;
  let size = result.width ? { width: result.width, height: result.height } : null;
  let noPreview = result.no_preview ?? null;
  let retire = false;
  if (!previews && (noPreview === 'NeedsBrowserDecoder' || noPreview === 'Undecodable')) {
    try {
      previews = await browserDecode(file);
      size = { width: previews.width, height: previews.height };
      noPreview = null;
    } catch {
      // This browser cannot decode it: HEIC in all but Safari.
    }
  }
  if (!previews && noPreview === 'NeedsBrowserDecoder' && result.format === 'heif') {
    try {
      previews = (await heicDecoder()).heic_previews(bytes);
      size = { width: previews.width, height: previews.height };
      noPreview = null;
    } catch (error) {
      // A HEIC our decoder cannot read either: the original is still kept.
      noPreview = 'UndecodableHeic';
      // The decoder trapped (a panic, out of memory): its instance cannot be
      // trusted again, and a module is instantiated once per worker.
      retire = error instanceof WebAssembly.RuntimeError;
    }
  }
  if (result.develop) {
    try {
      const developed = (await rawDeveloper()).raw_previews(bytes);
      // The bigger picture wins: a half-size develop of a small sensor can
      // be smaller than the camera's own preview.
      if (!previews || area(developed.web) > area(previews.web)) {
        previews = developed;
        size = { width: developed.width, height: developed.height };
        noPreview = null;
      }
    } catch (error) {
      // Sensor data we cannot develop (stripped, an unknown camera, an
      // X-Trans sensor): the camera's preview stays, if there is one, and the
      // original is kept either way.
      retire = error instanceof WebAssembly.RuntimeError;
    }
  }
  const processed = performance.now();
  const [web, thumb] = previews ? await Promise.all([encode(previews.web, QUALITY.web), encode(previews.thumb, QUALITY.thumb)]) : [null, null];
  const encoded = performance.now();
  return {
    id,
    format: result.format,
    metadata: result.metadata,
    motion: result.motion ?? null,
    width: size?.width ?? null,
    height: size?.height ?? null,
    web,
    thumb,
    placeholder: placeholderText(previews?.placeholder),
    noPreview,
    retire,
    timings: {
      hash: hashed - started,
      ...result.timings,
      process: processed - hashed,
      encode: encoded - processed,
      total: encoded - started,
    },
  };
}

self.onmessage = async ({ data: { job, file, frame } }) => {
  try {
    await ready;
    const answer = frame ? await poster(frame) : await handle(file);
    self.postMessage({ job, ok: true, ...answer });
  } catch (error) {
    const fatal = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ job, ok: false, error: String(error?.message ?? error), fatal });
  }
};
