// `cargo xtask bench` part five: the gallery API under load. Starts the real local
// stack (release build), signs in through its OpenID provider as the SPA does
// (authorization code + PKCE, over plain HTTP), seeds the user's SQLite index with
// 100,000 photos (`local/examples/seed_index.rs`), collects the pages a scrolling
// person asks for (the newest, and from each month the scrubber can jump to, a few
// pages on), and has wrk (C, so the client takes little of the 2 cores) request
// them at random with 1, 16 and 64 connections. Prints latency percentiles per
// level and the server's memory after each: its own (RssAnon), and the index file's
// pages it has mapped (RssFile: SQLite reads through mmap; these are the kernel's
// page cache, shared and dropped under pressure, not the server's to keep).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startStack } from '../e2e/harness.mjs';
import { accessToken } from './signin.mjs';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 100_000);
const LEVELS = [{ clients: 1 }, { clients: 16 }, { clients: 64 }];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAGES_PER_VISIT = 5;
const LIMIT = Number(process.env.BENCH_LIMIT ?? 60);
// What the client accepts: Chromium's set by default, `identity` to see what compression costs.
const ENCODING = process.env.BENCH_ENCODING ?? 'gzip, deflate, br, zstd';

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]) / 1024;
  return { own: field('RssAnon'), mapped: field('RssFile') };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const stack = await startStack();
try {
  const base = stack.url.replace(/\/$/, '');
  const token = await accessToken(base, stack.firstUser);
  const headers = { authorization: `Bearer ${token}` };
  const me = await (await fetch(`${base}/api/me`, { headers })).json();
  const seeded = execFileSync(process.env.SEED_BIN, [stack.dataDir, me.id, String(PHOTOS)], { encoding: 'utf8' });
  process.stderr.write(seeded);

  const get = async (path) => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers });
    const body = await response.json();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return { body, ms };
  };
  const timeline = (await get('/api/timeline')).body;
  if (timeline.total !== PHOTOS) throw new Error(`the timeline counts ${timeline.total}, not ${PHOTOS}`);
  const months = timeline.months.map((m) => m.month);

  const rows = [];
  const countsMs = [];
  for (let i = 0; i < 100; i += 1) countsMs.push((await get('/api/timeline')).ms);
  countsMs.sort((a, b) => a - b);
  rows.push({
    what: 'GET /timeline', clients: 1, requests: 100, seconds: countsMs.reduce((a, b) => a + b, 0) / 1000,
    p50: percentile(countsMs, 50), p99: percentile(countsMs, 99), max: countsMs.at(-1), ...(await rssMb(stack.pid)),
  });

  // The pages a scrolling person asks for: the newest, and from every month the
  // scrubber can jump to, a few pages on. Cursors are stable, so wrk replays them.
  const paths = [];
  for (const start of [null, ...months]) {
    let path = start ? `/api/photos?limit=${LIMIT}&month=${start}` : `/api/photos?limit=${LIMIT}`;
    for (let page = 0; page < PAGES_PER_VISIT && path; page += 1) {
      paths.push(path);
      const { body } = await get(path);
      path = body.next_cursor ? `/api/photos?limit=${LIMIT}&cursor=${body.next_cursor}` : null;
    }
  }
  const script = join(await mkdtemp(join(tmpdir(), 'shoebox-wrk-')), 'pages.lua');
  await writeFile(script, `
local paths = { ${paths.map((p) => JSON.stringify(p)).join(',\n')} }
wrk.headers["Authorization"] = "Bearer ${token}"
wrk.headers["Accept-Encoding"] = "${ENCODING}"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) math.randomseed(os.time() * 100 + id) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
`);
  for (const { clients } of LEVELS) {
    const out = execFileSync(process.env.WRK ?? 'wrk', [
      `-t${Math.min(clients, 2)}`, `-c${clients}`, `-d${SECONDS}s`, '--timeout', '5s', '-s', script, base,
    ], { encoding: 'utf8' });
    const [requests, micros, p50, p99, max, errors] = /RESULT (.*)/.exec(out)[1].split(' ').map(Number);
    if (errors > 0) throw new Error(`${errors} requests failed at ${clients} clients:\n${out}`);
    rows.push({ what: `GET /photos (${LIMIT} a page)`, clients, requests, seconds: micros / 1e6, p50, p99, max, ...(await rssMb(stack.pid)) });
  }

  console.log(`\nGallery API on loopback, local stack (release), ${PHOTOS.toLocaleString('en')} photos in SQLite\n`);
  console.log('| request | clients | requests | req/s | p50 ms | p99 ms | max ms | server own MB | index mapped MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const fmt = (ms) => ms.toFixed(1);
    console.log(
      `| ${row.what} | ${row.clients} | ${row.requests} | ${(row.requests / row.seconds).toFixed(0)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.max)} | ${row.own.toFixed(0)} | ${row.mapped.toFixed(0)} |`,
    );
  }
  console.log(`\nwrk, ${SECONDS} s a level, over ${paths.length} distinct pages; client and server share the 2 cores.`);
} finally {
  await stack.stop();
}
