// `cargo xtask bench` part six: the timeline in the browser with a large library.
// Starts the local stack (release), seeds the user with 10,000 photos, each with a
// real JPEG thumbnail in the store (`local/examples/seed_index.rs`), then in
// headless Chromium: the time from navigation until the first 20 thumbnails are
// painted (checked every animation frame), then a scroll through the whole
// timeline a screen at a time, counting DOM nodes (they must stay bounded) and
// recording main-thread long tasks (PerformanceObserver).
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, signIn, startStack } from '../e2e/harness.mjs';
import { accessToken } from './signin.mjs';

const PHOTOS = Number(process.env.BENCH_TIMELINE_PHOTOS ?? 10_000);
const THUMB = join(process.env.CORPUS, 'real/samsung_galaxy_s7edge_12mp_gps.jpg');
const RUNS = 5;

const stack = await startStack();
const browser = await launchBrowser();
try {
  const token = await accessToken(stack.url, stack.firstUser);
  const me = await (await fetch(new URL('/api/me', stack.url), { headers: { authorization: `Bearer ${token}` } })).json();
  // A 400 px wide JPEG stands for every thumbnail (a real one, decoded by the browser).
  const thumb = join(tmpdir(), 'shoebox-bench-thumb.jpg');
  execFileSync(process.env.BENCH_PYTHON ?? 'python3', ['-c', `
from PIL import Image
image = Image.open(${JSON.stringify(THUMB)}); image.thumbnail((400, 400)); image.save(${JSON.stringify(thumb)}, quality=80)
`]);
  process.stderr.write(execFileSync(process.env.SEED_BIN, [stack.dataDir, me.id, String(PHOTOS), stack.storeUrl, thumb], { encoding: 'utf8' }));

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.benchLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.benchLongTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    // The first frame in which 20 thumbnails are decoded and on the page.
    window.benchFirst20 = new Promise((resolve) => {
      const check = (now) => {
        const done = [...document.querySelectorAll('[data-testid=photo-tile] img')]
          .filter((img) => img.complete && img.naturalWidth > 0);
        if (done.length >= 20) resolve(now); else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  });
  await page.goto(stack.url);
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
  await signIn(page, stack.firstUser);

  const first20 = [];
  for (let run = 0; run < RUNS; run += 1) {
    await page.goto(stack.url);
    first20.push(await page.evaluate(() => window.benchFirst20));
  }
  first20.sort((a, b) => a - b);

  // Scroll through everything, a screen at a time, as fast as frames allow
  // while letting each screen's month load.
  const scrolled = await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const startedAt = performance.now();
    window.benchLongTasks = [];
    let maxNodes = 0;
    let steps = 0;
    while (window.scrollY + innerHeight < document.documentElement.scrollHeight - 2) {
      window.scrollBy(0, innerHeight * 0.9);
      await frame();
      await frame();
      maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
      steps += 1;
      if (steps > 20_000) break;
    }
    return {
      seconds: (performance.now() - startedAt) / 1000,
      steps,
      height: document.documentElement.scrollHeight,
      maxNodes,
      endNodes: document.getElementsByTagName('*').length,
      // Entries arrive late, so one from before the scroll can land after the reset.
      tasks: window.benchLongTasks.filter((task) => task.start >= startedAt).map((task) => task.duration),
    };
  });
  const topNodes = await page.evaluate(async () => {
    window.scrollTo(0, 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return document.getElementsByTagName('*').length;
  });
  const longest = scrolled.tasks.length ? Math.max(...scrolled.tasks) : 0;

  console.log(`\nTimeline in headless Chromium, 1440×900, ${PHOTOS.toLocaleString('en')} photos (local stack, release)\n`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| navigation to 20 thumbnails painted, median of ${RUNS} (ms) | ${first20[Math.floor(RUNS / 2)].toFixed(0)} |`);
  console.log(`| same, best / worst (ms) | ${first20[0].toFixed(0)} / ${first20.at(-1).toFixed(0)} |`);
  console.log(`| timeline height (px) | ${scrolled.height.toLocaleString('en')} |`);
  console.log(`| screens scrolled through | ${scrolled.steps} in ${scrolled.seconds.toFixed(1)} s |`);
  console.log(`| DOM elements at the top / most while scrolling / at the end | ${topNodes} / ${scrolled.maxNodes} / ${scrolled.endNodes} |`);
  console.log(`| long tasks while scrolling (> 50 ms) | ${scrolled.tasks.length} |`);
  console.log(`| longest main-thread task while scrolling (ms) | ${longest.toFixed(0)} |`);
} finally {
  await browser.close();
  await stack.stop();
}
