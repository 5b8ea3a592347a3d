// The import worker: reads the parts of a Google Takeout export (`takeout`,
// Rust, in wasm) with FileReaderSync, in slices, so a part of 50 GB costs it a
// few megabytes. Started when an import starts, closed when it ends.
//
// Message in:  { kind: 'scan', parts: [File] }, or for an extracted export
//              { kind: 'scan', parts: [File], paths: [its path in the folder] }
//              { kind: 'extract', job, part, entry, name, lastModified }
// Message out: { kind: 'progress', part, entries } while scanning, then
//              { kind: 'plan', plan (JSON text) } or { kind: 'failed', error };
//              { job, ok: true, file } or { job, ok: false, error }.
//
// An extracted file is gathered into Blobs a few tens of megabytes at a time:
// the browser keeps those (on disk when large), not this worker's memory.
import init, { Extractor, scan, scan_folder as scanFolder } from './takeout.js';

const ready = init();
const GATHER_BYTES = 32 * 1024 * 1024;
let extractor = null;
// An extracted export's files: an entry is the file itself.
let folder = null;

function extract({ part, entry, name, lastModified }) {
  if (folder) return new File([folder[entry]], name, { lastModified });
  const gathered = [];
  let pending = [];
  let pendingBytes = 0;
  extractor.extract(part, entry, (chunk) => {
    pending.push(chunk);
    pendingBytes += chunk.byteLength;
    if (pendingBytes >= GATHER_BYTES) {
      gathered.push(new Blob(pending));
      pending = [];
      pendingBytes = 0;
    }
  });
  return new File([...gathered, ...pending], name, { lastModified });
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch (error) {
    self.postMessage({ kind: 'failed', job: data.job, ok: false, error: `the Takeout reader did not load: ${error}` });
    return;
  }
  if (data.kind === 'scan') {
    try {
      const progress = (part, entries) => self.postMessage({ kind: 'progress', part, entries });
      let plan;
      if (data.paths) {
        plan = scanFolder(data.parts, data.paths, progress);
        folder = data.parts;
      } else {
        plan = scan(data.parts, progress);
        extractor = new Extractor(data.parts);
      }
      self.postMessage({ kind: 'plan', plan });
    } catch (error) {
      self.postMessage({ kind: 'failed', error: String(error) });
    }
  } else if (data.kind === 'extract') {
    try {
      self.postMessage({ job: data.job, ok: true, file: extract(data) });
    } catch (error) {
      self.postMessage({ job: data.job, ok: false, error: String(error) });
    }
  }
};
