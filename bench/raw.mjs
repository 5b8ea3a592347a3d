// `cargo xtask bench` part ten: camera RAW developed from its sensor data in
// Chromium (which has no RAW decoder of its own): the corpus's DNG with no
// preview (2.2 MP, Magic Lantern's) and a 20 MP one (`big_dng.py`: that DNG's
// mosaic tiled 3×3), through the photo worker on the real local stack: hash,
// our pipeline (no preview: `develop`), the RAW developer (`pipeline-raw`,
// loaded on the first such RAW), the two WebP previews. Cold is a fresh worker
// (the developer's wasm fetched and compiled); warm, the same worker again
// (`worker-bench.mjs`).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser, startStack } from '../e2e/harness.mjs';
import { timeInWorker } from './worker-bench.mjs';

const run = promisify(execFile);
const corpus = process.env.CORPUS;
const dist = process.env.SHOEBOX_DIST;
const dir = await mkdtemp(join(tmpdir(), 'shoebox-bench-raw-'));

const stack = await startStack({ dist });
const browser = await launchBrowser();
try {
  const small = join(corpus, 'formats/raw_canon_eos_kiss_x4.dng');
  const big = join(dir, 'tiled-20mp.dng');
  await run('/usr/bin/python3', [join(import.meta.dirname, 'big_dng.py'), small, '3', big]);
  const files = [
    { label: '2.2 MP DNG, no preview (1888×1182, 14-bit, uncompressed)', path: small },
    { label: '20 MP DNG (5664×3546, the same tiled 3×3)', path: big },
  ];
  const page = await browser.newPage();
  await page.goto(stack.url);
  const rows = [];
  for (const { label, path } of files) {
    rows.push({ label, bytes: (await stat(path)).size, ...(await timeInWorker(page, path)) });
  }
  const wasm = join(dist, 'worker', 'pipeline_raw_bg.wasm');
  const raw = (await stat(wasm)).size;
  const brotli = (await stat(`${wasm}.br`)).size;
  console.log('\nRAW developed in Chromium (its own decoder: none): file to both WebP previews in the photo worker\n');
  console.log('| RAW | file MB | web view | cold ms (developer loaded) | warm ms (median of 3) | of which hashing / developing and resizing / WebP ms | renderer extra MB |');
  console.log('|---|---:|---|---:|---:|---|---:|');
  for (const row of rows) {
    console.log(`| ${row.label} | ${(row.bytes / 1e6).toFixed(1)} | ${row.web.join('×')} | ${row.cold.toFixed(0)} | ${row.warm.toFixed(0)} | ${row.hash.toFixed(0)} / ${row.decode.toFixed(0)} / ${row.encode.toFixed(0)} | ${row.extra.toFixed(0)} |`);
  }
  console.log(`\nThe RAW developer's wasm (pipeline-raw, loaded only when the first RAW without a big enough preview arrives): ${(raw / 1024).toFixed(0)} KB raw, ${(brotli / 1024).toFixed(0)} KB brotli.`);
} finally {
  await browser.close();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
