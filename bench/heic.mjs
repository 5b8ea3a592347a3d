// `cargo xtask bench` part nine: HEIC in Chromium, which has no decoder of its
// own: an iPhone's 12 MP HEIC (the corpus's, 48 tiles) and a 48 MP one (made
// here with heif-enc from a photo of the corpus scaled up), through the photo
// worker on the real local stack: hash, our pipeline, the HEIC decoder
// (`pipeline-heic`, loaded on the first HEIC), the two WebP previews. Cold is
// a fresh worker (the decoder's wasm fetched and compiled); warm, the same
// worker again (`worker-bench.mjs`). Needs heif-enc and Pillow (`setup --media`).
import { execFile } from 'node:child_process';
import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser, startStack } from '../e2e/harness.mjs';
import { timeInWorker } from './worker-bench.mjs';

const run = promisify(execFile);
const corpus = process.env.CORPUS;
const dist = process.env.SHOEBOX_DIST;
const dir = await mkdtemp(join(tmpdir(), 'shoebox-bench-heic-'));

/**
 * A 48 MP (8064×6048) HEIC: a 12 MP photo of the corpus, doubled each way,
 * tagged with an ICC profile as an iPhone's are (sRGB here: Pillow makes no P3).
 */
async function fortyEightMp() {
  const png = join(dir, '48mp.png');
  await run('/usr/bin/python3', ['-c', `
from PIL import Image, ImageCms
icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
Image.open(${JSON.stringify(join(corpus, 'real/samsung_galaxy_s7edge_12mp_gps.jpg'))}).convert("RGB").resize((8064, 6048), Image.LANCZOS).save(${JSON.stringify(png)}, icc_profile=icc)
`]);
  const heic = join(dir, 'IMG_48MP.heic');
  await run('heif-enc', ['--quality', '80', png, '-o', heic], { maxBuffer: 1 << 24 });
  return heic;
}

const stack = await startStack({ dist });
const browser = await launchBrowser();
try {
  const files = [
    { label: '12 MP, an iPhone 11 Pro\'s (3024×4032 upright, 48 tiles, Display P3)', path: join(corpus, 'formats/heic_iphone11pro.heic') },
    { label: '48 MP (8064×6048, heif-enc, one image, ICC)', path: await fortyEightMp() },
  ];
  const page = await browser.newPage();
  await page.goto(stack.url);
  const browserDecodes = await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return createImageBitmap(new Blob([bytes], { type: 'image/heic' })).then(() => true, () => false);
  }, (await readFile(files[0].path)).toString('base64'));
  const rows = [];
  for (const { label, path } of files) {
    rows.push({ label, bytes: (await stat(path)).size, ...(await timeInWorker(page, path)) });
  }
  const wasm = join(dist, 'worker', 'pipeline_heic_bg.wasm');
  const raw = (await stat(wasm)).size;
  const brotli = (await stat(`${wasm}.br`)).size;
  console.log(`\nHEIC in Chromium (its own decoder: ${browserDecodes ? 'yes' : 'none, so ours'}): file to both WebP previews in the photo worker\n`);
  console.log('| HEIC | file MB | web view | cold ms (decoder loaded) | warm ms (median of 3) | of which hashing / decoding and resizing / WebP ms | renderer extra MB |');
  console.log('|---|---:|---|---:|---:|---|---:|');
  for (const row of rows) {
    console.log(`| ${row.label} | ${(row.bytes / 1e6).toFixed(1)} | ${row.web.join('×')} | ${row.cold.toFixed(0)} | ${row.warm.toFixed(0)} | ${row.hash.toFixed(0)} / ${row.decode.toFixed(0)} / ${row.encode.toFixed(0)} | ${row.extra.toFixed(0)} |`);
  }
  console.log(`\nThe HEIC decoder's wasm (pipeline-heic, loaded only when the first HEIC arrives): ${(raw / 1024).toFixed(0)} KB raw, ${(brotli / 1024).toFixed(0)} KB brotli.`);
} finally {
  await browser.close();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
