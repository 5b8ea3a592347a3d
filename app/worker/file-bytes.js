// A file's bytes, in order, for the photo id: streamed, never held whole.
//
// The fast way is a BYOB reader into one reused 1 MiB buffer: no allocation per
// chunk, so hashing a 4 GB video adds a flat few tens of MB to the tab and runs
// about four times faster than the default reader, whose chunks pile up until
// the garbage collector gets to them (hundreds of MB; `cargo xtask bench --only
// video`).
//
// Chromium sometimes never answers a BYOB read of a Blob while other files are
// being read at the same time: 2 or 3 of 330 files, with two workers hashing
// ten files thirty times over while the page reads them too (Chromium 156; the
// videos e2e test hung on it one run in three). A read that has not answered in
// `stallMs` is given up and the rest of the file, from where it stopped, is read
// with the default reader, which never stalled there. A browser whose Blob
// streams are not byte streams uses the default reader from the start.

const BUFFER_BYTES = 1024 * 1024;
const STALL_MS = 2000;
const STALLED = Symbol('stalled');

/** `promise`, or STALLED if it has not settled within `ms`. */
function withinTime(promise, ms) {
  let timer;
  const stalled = new Promise((resolve) => {
    timer = setTimeout(() => resolve(STALLED), ms);
  });
  return Promise.race([promise, stalled]).finally(() => clearTimeout(timer));
}

/** Reads `blob` from the start into one buffer; the offset it got to, and whether it finished. */
async function readReusingOneBuffer(blob, onChunk, stallMs) {
  let reader;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    return { offset: 0, finished: false };
  }
  let buffer = new ArrayBuffer(BUFFER_BYTES);
  let offset = 0;
  for (;;) {
    const answer = await withinTime(reader.read(new Uint8Array(buffer)), stallMs);
    if (answer === STALLED) {
      // The stalled read still holds the buffer; it is let go with the reader.
      reader.cancel().catch(() => {});
      return { offset, finished: false };
    }
    if (answer.done) return { offset, finished: true };
    onChunk(answer.value);
    offset += answer.value.byteLength;
    buffer = answer.value.buffer;
  }
}

/**
 * Calls `onChunk(Uint8Array)` with every byte of `blob`, in order, once; the
 * chunk is only valid during the call. Answers the number of bytes read.
 */
export async function eachChunk(blob, onChunk, { stallMs = STALL_MS } = {}) {
  const { offset, finished } = await readReusingOneBuffer(blob, onChunk, stallMs);
  if (finished) return offset;
  const reader = blob.slice(offset).stream().getReader();
  let read = offset;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return read;
    onChunk(value);
    read += value.byteLength;
  }
}
