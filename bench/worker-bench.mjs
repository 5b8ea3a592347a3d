// What the decoder benches (`heic.mjs`, `raw.mjs`) share: one file through a
// fresh photo worker on the running stack, cold (its lazily loaded decoder
// fetched and compiled) then warm (the same worker, three times more), with
// the renderer's peak resident memory over its size before (workers live in
// the renderer).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The resident size of the largest renderer process (MB). */
export async function rendererMb() {
  const { stdout } = await run('ps', ['-e', '-o', 'rss=,args=']).catch(() => ({ stdout: '' }));
  const sizes = stdout.split('\n').filter((line) => line.includes('--type=renderer')).map((line) => Number(line.trim().split(/\s+/)[0]) / 1024);
  return Math.max(0, ...sizes);
}

/**
 * `path` through a new photo worker in `page`: `{ cold, warm (median ms), hash,
 * decode, encode (ms of the median warm run), web: [width, height], extra (MB) }`.
 * A file answered without a preview is an error: the bench would time nothing.
 */
export async function timeInWorker(page, path) {
  await page.evaluate(() => {
    document.getElementById('bench-file')?.remove();
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-file' });
    input.hidden = true;
    document.body.append(input);
    window.benchWorker?.terminate();
    window.benchWorker = null;
  });
  await page.setInputFiles('#bench-file', path);
  const before = await rendererMb();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rendererMb());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const times = await page.evaluate(async () => {
    const file = document.getElementById('bench-file').files[0];
    window.benchWorker = new Worker('/worker/photo-worker.js', { type: 'module' });
    const once = (job) => new Promise((resolve, reject) => {
      const started = performance.now();
      window.benchWorker.onmessage = ({ data }) => {
        if (!data.ok || data.noPreview) reject(new Error(data.error ?? data.noPreview));
        else resolve({ ms: performance.now() - started, web: [data.web.width, data.web.height], hash: data.timings.hash, decode: data.timings.process, encode: data.timings.encode });
      };
      window.benchWorker.postMessage({ job, file });
    });
    const cold = await once(1);
    const warm = [];
    for (let job = 2; job <= 4; job += 1) warm.push(await once(job));
    return { cold, warm };
  }).finally(async () => {
    sampling = false;
    await sampler;
  });
  const median = [...times.warm].sort((a, b) => a.ms - b.ms)[1];
  return { cold: times.cold.ms, warm: median.ms, hash: median.hash, decode: median.decode, encode: median.encode, web: times.cold.web, extra: peak - before };
}
