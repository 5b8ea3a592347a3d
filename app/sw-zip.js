// Zips of many originals for the service worker (imported by sw.js): built
// here as the originals stream in, with client-zip's `downloadZip` (STORE, no
// recompression; Zip64 past 4 GB or 65,535 entries), so the archive never
// sits whole in memory.
//
// The page (app/src/download/zip.rs) opens a MessagePort with the zip's id
// and name, then opens /zip/{id}/{name}.zip in a hidden frame, which this
// answers with the zip's stream. The list of originals comes over the port a
// part at a time, asked for ("more") as the zip needs it, so a library of any
// size is never listed whole, and each part's URLs are fresh when used.
// Progress goes back on the port; "cancel" on it stops the download. An
// original that fails is tried again (from where it stopped, with a ranged
// GET, if it failed midway); one that cannot be had at all is left out and
// named in MISSING.txt inside the zip, never silently dropped.

const ZIP_PATH = /^\/zip\/([\w-]{16,64})\/[^/]+\.zip$/;
/** Zips the page has asked for, by id, until their download opens (once). */
const zipJobs = new Map();
/** A zip not opened within this is forgotten. */
const ZIP_WAIT_MS = 5 * 60 * 1000;
/** Tries of each original (and of each resume midway). */
const ZIP_TRIES = 4;
/** Progress is posted at most this often. */
const ZIP_PROGRESS_MS = 250;

function acceptZip(event) {
  const { id, name } = event.data;
  const port = event.ports[0];
  if (!port || typeof id !== 'string' || typeof name !== 'string') return;
  const job = {
    id, name, port, abort: new AbortController(), bytes: 0, done: 0, missing: [], postedAt: 0,
    queue: [], last: false, waiting: null,
  };
  port.onmessage = (message) => {
    if (message.data === 'cancel') {
      job.abort.abort(new Error('cancelled'));
      job.waiting?.reject(job.abort.signal.reason);
      return;
    }
    let said;
    try {
      said = JSON.parse(message.data);
    } catch {
      return;
    }
    if (said.type === 'files' && Array.isArray(said.files)) {
      job.queue.push(...said.files);
      job.last = said.last === true;
    } else if (said.type === 'error') {
      job.waiting?.reject(new Error(String(said.message)));
      job.waiting = null;
      return;
    }
    const waiting = job.waiting;
    job.waiting = null;
    waiting?.resolve();
  };
  zipJobs.set(id, job);
  setTimeout(() => zipJobs.delete(id), ZIP_WAIT_MS);
  port.postMessage(JSON.stringify({ type: 'ready' }));
}

/** The next original to put in, asking the page for more when none are left; null at the end. */
async function nextFile(job) {
  while (job.queue.length === 0 && !job.last) {
    await new Promise((resolve, reject) => {
      job.waiting = { resolve, reject };
      job.port.postMessage(JSON.stringify({ type: 'more' }));
    });
  }
  return job.queue.shift() ?? null;
}

/** The answer to GET /zip/{id}/{name}.zip: the zip, streaming. */
function zipResponse(url) {
  const id = ZIP_PATH.exec(url.pathname)?.[1];
  const job = zipJobs.get(id);
  zipJobs.delete(id);
  if (!job) {
    return new Response('This download is no longer waiting. Start it again from Shoebox.', {
      status: 410, headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const zip = downloadZip(zipEntries(job));
  const headers = new Headers(zip.headers);
  const ascii = job.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  headers.set('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(job.name)}`);
  const body = zip.body.pipeThrough(new TransformStream({
    flush() {
      job.port.postMessage(JSON.stringify({ type: 'done', files: job.done, bytes: job.bytes, missing: job.missing }));
    },
  }));
  return new Response(body, { headers });
}

/** The zip's entries, one original at a time, then MISSING.txt if any failed. */
async function* zipEntries(job) {
  let finished = false;
  try {
    for (let file = await nextFile(job); file; file = await nextFile(job)) {
      if (file.left_out) {
        job.missing.push(`${file.name}: ${file.left_out}`);
        zipProgress(job, true);
        continue;
      }
      let first;
      try {
        first = await openOriginal(file, 0, job);
      } catch (error) {
        if (job.abort.signal.aborted) throw error;
        job.missing.push(`${file.name}: ${error.message}`);
        zipProgress(job, true);
        continue;
      }
      const entry = { name: file.name, lastModified: new Date(file.modified), input: resumable(file, first, job) };
      if (typeof file.bytes === 'number') entry.size = file.bytes;
      yield entry;
      job.done += 1;
      zipProgress(job, true);
    }
    if (job.missing.length) {
      const text = 'These originals are not in this zip (those that failed were tried several times):\r\n\r\n'
        + job.missing.join('\r\n') + '\r\n\r\nThey are still in Shoebox: try them again from there.\r\n';
      yield { name: 'MISSING.txt', lastModified: new Date(), input: text };
    }
    finished = true;
  } catch (error) {
    zipFailed(job, error);
    throw error;
  } finally {
    // The download was stopped from the browser: stop fetching too.
    if (!finished) job.abort.abort(new Error('stopped'));
  }
}

/** `file`'s original from `offset`: a response whose body is the rest of it. */
async function openOriginal(file, offset, job) {
  let problem;
  for (let attempt = 0; attempt < ZIP_TRIES; attempt += 1) {
    if (attempt > 0) await zipPause(500 * 2 ** (attempt - 1), job);
    try {
      const headers = offset > 0 ? { Range: `bytes=${offset}-` } : {};
      const response = await fetch(file.url, { headers, signal: job.abort.signal });
      if (response.status === (offset > 0 ? 206 : 200)) return response;
      problem = new Error(`the store answered ${response.status}`);
    } catch (error) {
      if (job.abort.signal.aborted) throw error;
      problem = new Error('the connection failed');
    }
  }
  throw problem;
}

/** `file`'s bytes, from `first`; a connection that drops midway resumes where it stopped. */
function resumable(file, first, job) {
  let offset = 0;
  let reader = first.body.getReader();
  return new ReadableStream({
    async pull(controller) {
      for (let attempt = 0; ; attempt += 1) {
        try {
          reader ??= (await openOriginal(file, offset, job)).body.getReader();
          const { done, value } = await reader.read();
          // A size the list gave is held to: a short or long original is not
          // what was backed up. (A share link's web views come without one.)
          const expected = typeof file.bytes === 'number' ? file.bytes : null;
          if (done) {
            if (expected !== null && offset !== expected) throw new Error(`${file.name} ended after ${offset} of ${expected} bytes`);
            controller.close();
            return;
          }
          offset += value.byteLength;
          if (expected !== null && offset > expected) throw new Error(`${file.name} is longer than its ${expected} bytes`);
          job.bytes += value.byteLength;
          controller.enqueue(value);
          zipProgress(job, false);
          return;
        } catch (error) {
          reader = null;
          if (job.abort.signal.aborted || attempt + 1 >= ZIP_TRIES || !(error instanceof TypeError)) {
            zipFailed(job, error);
            throw error;
          }
        }
      }
    },
    cancel() {
      reader?.cancel();
    },
  });
}

/** Tells the page the zip stopped, once: cancelled, or why. */
function zipFailed(job, error) {
  if (job.failed) return;
  job.failed = true;
  const message = job.abort.signal.aborted ? 'cancelled' : String(error?.message ?? error);
  job.port.postMessage(JSON.stringify({ type: 'failed', message }));
}

function zipProgress(job, now) {
  const at = Date.now();
  if (!now && at - job.postedAt < ZIP_PROGRESS_MS) return;
  job.postedAt = at;
  job.port.postMessage(JSON.stringify({ type: 'progress', files: job.done, bytes: job.bytes, missing: job.missing.length }));
}

function zipPause(ms, job) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    job.abort.signal.addEventListener('abort', () => { clearTimeout(timer); reject(job.abort.signal.reason); }, { once: true });
  });
}
