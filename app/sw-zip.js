// Zips of many originals for the service worker (imported by sw.js): built
// here as the originals stream in, with client-zip's `downloadZip` (STORE, no
// recompression; Zip64 past 4 GB or 65,535 entries), so the archive never
// sits whole in memory.
//
// The page (app/src/download/zip.rs) sends the list with a MessagePort, then
// opens /zip/{id}/{name}.zip in a hidden frame, which this answers with the
// zip's stream. Progress goes back on the port; "cancel" on it stops the
// download. An original that fails is tried again (from where it stopped,
// with a ranged GET, if it failed midway); one that cannot be had at all is
// left out and named in MISSING.txt inside the zip, never silently dropped.

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
  const { id, name, files } = event.data;
  const port = event.ports[0];
  if (!port || typeof id !== 'string' || typeof name !== 'string' || !Array.isArray(files)) return;
  const job = { id, name, files, port, abort: new AbortController(), bytes: 0, done: 0, missing: [], postedAt: 0 };
  port.onmessage = (message) => {
    if (message.data === 'cancel') job.abort.abort(new Error('cancelled'));
  };
  zipJobs.set(id, job);
  setTimeout(() => zipJobs.delete(id), ZIP_WAIT_MS);
  port.postMessage(JSON.stringify({ type: 'ready' }));
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
    for (const file of job.files) {
      let first;
      try {
        first = await openOriginal(file, 0, job);
      } catch (error) {
        if (job.abort.signal.aborted) throw error;
        job.missing.push(`${file.name}: ${error.message}`);
        zipProgress(job, true);
        continue;
      }
      yield { name: file.name, lastModified: new Date(file.modified), size: file.bytes, input: resumable(file, first, job) };
      job.done += 1;
      zipProgress(job, true);
    }
    if (job.missing.length) {
      const text = 'These originals could not be downloaded, after several tries:\r\n\r\n'
        + job.missing.join('\r\n') + '\r\n\r\nThey are still in Shoebox: try them again from there.\r\n';
      yield { name: 'MISSING.txt', lastModified: new Date(), input: text };
    }
    finished = true;
  } catch (error) {
    job.port.postMessage(JSON.stringify({ type: 'failed', message: job.abort.signal.aborted ? 'cancelled' : String(error.message ?? error) }));
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
          if (done) {
            if (offset !== file.bytes) throw new Error(`${file.name} ended after ${offset} of ${file.bytes} bytes`);
            controller.close();
            return;
          }
          offset += value.byteLength;
          if (offset > file.bytes) throw new Error(`${file.name} is longer than its ${file.bytes} bytes`);
          job.bytes += value.byteLength;
          controller.enqueue(value);
          zipProgress(job, false);
          return;
        } catch (error) {
          reader = null;
          if (job.abort.signal.aborted || attempt + 1 >= ZIP_TRIES || !(error instanceof TypeError)) throw error;
        }
      }
    },
    cancel() {
      reader?.cancel();
    },
  });
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
