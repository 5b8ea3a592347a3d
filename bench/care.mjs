// `cargo xtask bench` part thirteen: keeping a large library. Starts the real
// local stack (release), signs in as the SPA does, seeds 100,000 photos into
// the user's SQLite index (`local/examples/seed_index.rs`), then through the
// API as the SPA sends a selection (`POST /photos/changes`, 100 ids a request,
// one request at a time): trashes 10,000 photos, restores them, trashes them
// again, and favourites 10,000 others. Prints items a second and the
// requests' p50/p99; then the first page of Trash and of Favorites against
// the timeline's (100 requests each, one at a time), which the issue wants no
// slower than the timeline's p99.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startStack } from '../e2e/harness.mjs';
import { accessToken } from './signin.mjs';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 100_000);
const CHANGED = Number(process.env.BENCH_CHANGED ?? 10_000);
const CHUNK = 100;
const PAGE = 60;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const stack = await startStack();
try {
  const base = stack.url.replace(/\/$/, '');
  const token = await accessToken(base, stack.firstUser);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const me = await (await fetch(`${base}/api/me`, { headers })).json();
  process.stderr.write(execFileSync(process.env.SEED_BIN, [stack.dataDir, me.id, String(PHOTOS)], { encoding: 'utf8' }));

  const call = async (method, path, body) => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
    const answer = await response.json();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
    return { answer, ms };
  };

  // Every id, newest first, a page of 200 at a time.
  const ids = [];
  for (let path = '/api/photos?limit=200'; path;) {
    const { answer } = await call('GET', path);
    ids.push(...answer.items.map((photo) => photo.id));
    path = answer.next_cursor ? `/api/photos?limit=200&cursor=${answer.next_cursor}` : null;
  }
  if (ids.length !== PHOTOS) throw new Error(`the timeline lists ${ids.length}, not ${PHOTOS}`);
  // Spread over the library, as a tidy-up of years would be.
  const every = Math.floor(PHOTOS / CHANGED);
  const trashed = ids.filter((_, at) => at % every === 0).slice(0, CHANGED);
  const favorites = ids.filter((_, at) => at % every === 1).slice(0, CHANGED);

  const rows = [];
  const change = async (what, change, chosen) => {
    const times = [];
    const started = performance.now();
    for (let at = 0; at < chosen.length; at += CHUNK) {
      const { answer, ms } = await call('POST', '/api/photos/changes', { change, ids: chosen.slice(at, at + CHUNK) });
      if (answer.done.length !== Math.min(CHUNK, chosen.length - at)) throw new Error(`${what}: ${JSON.stringify(answer)}`);
      times.push(ms);
    }
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    rows.push({ what, items: chosen.length, seconds, p50: percentile(times, 50), p99: percentile(times, 99) });
  };
  await change('trash', 'trash', trashed);
  await change('restore', 'restore', trashed);
  await change('trash again', 'trash', trashed);
  await change('favorite', 'favorite', favorites);

  const { answer: timeline } = await call('GET', '/api/timeline');
  const expected = { timeline: PHOTOS - CHANGED, favorites: CHANGED, archive: 0, trash: CHANGED };
  if (JSON.stringify(timeline.views) !== JSON.stringify(expected)) {
    throw new Error(`the views count ${JSON.stringify(timeline.views)}, not ${JSON.stringify(expected)}`);
  }
  const pages = [];
  for (const view of ['timeline', 'trash', 'favorites']) {
    const times = [];
    for (let i = 0; i < 100; i += 1) {
      const { answer, ms } = await call('GET', `/api/photos?view=${view}&limit=${PAGE}`);
      if (answer.items.length !== PAGE) throw new Error(`${view}: ${answer.items.length} photos`);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    pages.push({ view, p50: percentile(times, 50), p99: percentile(times, 99) });
  }

  console.log(`\nKeeping a library: ${CHANGED.toLocaleString('en')} of ${PHOTOS.toLocaleString('en')} photos through POST /photos/changes (${CHUNK} a request, one at a time), local stack (release), SQLite\n`);
  console.log('| change | photos | items/s | p50 ms a request | p99 ms a request |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.what} | ${row.items} | ${(row.items / row.seconds).toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} |`);
  }
  console.log(`\nFirst page (${PAGE} photos) of each view, 100 requests one at a time, with ${CHANGED.toLocaleString('en')} trashed and ${CHANGED.toLocaleString('en')} favourites\n`);
  console.log('| view | p50 ms | p99 ms |');
  console.log('|---|---:|---:|');
  for (const row of pages) console.log(`| ${row.view} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} |`);
} finally {
  await stack.stop();
}
