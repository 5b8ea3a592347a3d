// `cargo xtask bench` part two: the photo pipeline in headless Chromium, ours
// against the browser's own, as a table. Serves the wasm (BENCH_PKG), the page and
// the corpus (CORPUS) from a loopback server; drives Debian's Chromium.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = process.env.BENCH_PKG;
const corpus = process.env.CORPUS;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 5);
// Where the outputs and manifest.json go for bench/quality.py.
const out = process.env.BENCH_OUT;
const PHOTOS = [
  'synthetic-24mp-orient6.jpg',
  'real/samsung_galaxy_s7edge_12mp_gps.jpg',
  'real/oppo_r7plus_portrait_13mp_gps.jpg',
  'real/leica_t_orient8_gps.jpg',
  'real/samsung_j3_orient6.jpg',
  'formats/jpeg_33mp_7680x4320.jpg',
];
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.jpg': 'image/jpeg' };

function serve(request, response) {
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
  if (request.method === 'PUT' && path.startsWith('/out/') && !path.slice(5).includes('/')) {
    request.pipe(createWriteStream(join(out, path.slice(5)))).on('finish', () => response.writeHead(204).end());
    return;
  }
  const file = path === '/' ? join(here, 'pipeline.html')
    : path === '/pipeline-page.js' ? join(here, 'pipeline-page.js')
    : path.startsWith('/pkg/') ? join(pkg, path.slice(5))
    : path.startsWith('/photos/') ? join(corpus, path.slice(8))
    : null;
  if (!file || path.includes('..')) {
    response.writeHead(404).end();
    return;
  }
  stat(file).then(() => {
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  }, () => response.writeHead(404).end());
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

await mkdir(out, { recursive: true });
const server = createServer(serve);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/${process.env.BENCH_QUERY ?? ''}`);
  await page.waitForFunction(() => window.benchReady === true);
  const { results, memoryBytes, pool } = await page.evaluate(([names, n]) => window.runBench(names, n), [PHOTOS, iterations]);
  console.log(`\nPhoto pipeline in headless Chromium (median of ${iterations}; ms; WebP: canvas q0.8, ours at photo-worker.js's qualities)\n`);
  console.log('| photo | MB | hash | decode | resize | WebP encode | ours total | canvas total | ours/canvas | web kB ours/canvas | thumb kB ours/canvas |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const run of results) {
    const m = (key, list = run.ours) => median(list.map((r) => r[key]));
    const ours = m('total');
    const canvas = m('total', run.canvas);
    const kb = (bytes) => (bytes / 1000).toFixed(0);
    console.log(
      `| ${run.name.split('/').pop()} | ${(run.bytes / 1e6).toFixed(1)} | ${m('hash').toFixed(0)} | ${m('decode').toFixed(0)} | ${m('resize').toFixed(0)} | ${m('encode').toFixed(0)} | ${ours.toFixed(0)} | ${canvas.toFixed(0)} | ${(ours / canvas).toFixed(2)} | ${kb(m('webBytes'))}/${kb(m('webBytes', run.canvas))} | ${kb(m('thumbBytes'))}/${kb(m('thumbBytes', run.canvas))} |`,
    );
  }
  const manifest = results.map(({ kept }) => ({ ...kept, source: kept.source ? join(out, kept.source) : join(corpus, kept.name) }));
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  console.log(`\nPeak wasm memory over the run: ${(memoryBytes / 1e6).toFixed(0)} MB`);
  console.log(
    `Worker pool: ${pool.count} photos (the rows above, round robin) through ${pool.workers} workers in ${pool.seconds.toFixed(1)} s: ${pool.perSecond.toFixed(1)} photos/s, ${pool.failures} failed`,
  );
} finally {
  await browser.close();
  server.close();
}
