// The photo worker as the upload queue will use it: real files from the shared
// corpus, sent as File objects to /worker/photo-worker.js in Chromium, against the
// real local stack (its CSP, its MIME types).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, NO_CORPUS, photoCorpus, startStack, watchForProblems } from './harness.mjs';

const corpus = await photoCorpus();

const FILES = [
  'real/samsung_j3_orient6.jpg',
  'formats/heic_iphone13promax_orient6.heic',
  'broken/jpeg_max_size_65535x65535.jpg',
  'formats/jpeg_named_as_nef.nef',
  'broken/jpeg_empty_0_bytes.jpg',
  'formats/jpeg_arithmetic.jpg',
  'formats/jpeg_12bit.jpg',
];

describe('the photo worker', { skip: corpus ? false : NO_CORPUS }, () => {
  let stack;
  let browser;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('turns camera files into upright WebP previews, and bad files into errors it survives', async () => {
    const inputs = await Promise.all(
      FILES.map(async (name) => {
        const bytes = await readFile(join(corpus, name));
        return { name, base64: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
      }),
    );
    const page = await browser.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    const results = await page.evaluate(async (files) => {
      const worker = new Worker('/worker/photo-worker.js', { type: 'module' });
      const run = (job, file) =>
        new Promise((resolve) => {
          const onMessage = ({ data }) => {
            if (data.job !== job) return;
            worker.removeEventListener('message', onMessage);
            resolve(data);
          };
          worker.addEventListener('message', onMessage);
          worker.postMessage({ job, file });
        });
      const out = {};
      for (const [job, { name, base64 }] of files.entries()) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const answer = await run(job, new File([bytes], name.split('/').pop()));
        const describe = (variant) => variant && { type: variant.blob.type, width: variant.width, height: variant.height, size: variant.blob.size };
        out[name] = {
          ok: answer.ok,
          error: answer.error,
          id: answer.id,
          format: answer.format,
          noPreview: answer.noPreview,
          web: describe(answer.web),
          thumb: describe(answer.thumb),
          placeholderBytes: answer.placeholder?.length ?? 0,
          size: [answer.width, answer.height],
          takenAt: answer.metadata && JSON.parse(answer.metadata).taken_at?.local,
          orientation: answer.metadata && JSON.parse(answer.metadata).orientation,
        };
      }
      worker.terminate();
      return out;
    }, inputs);

    const phone = results['real/samsung_j3_orient6.jpg'];
    assert.equal(phone.ok, true, phone.error);
    assert.equal(phone.id, inputs[0].sha256, 'the id is the SHA-256 of the original');
    assert.deepEqual([phone.web.type, phone.web.width, phone.web.height], ['image/webp', 1536, 2048]);
    assert.deepEqual([phone.thumb.type, phone.thumb.width, phone.thumb.height], ['image/webp', 400, 533]);
    assert.ok(phone.web.size > 10_000 && phone.thumb.size > 1_000);
    assert.ok(phone.placeholderBytes > 10);
    assert.equal(phone.takenAt, '2019-09-26T16:38:00');
    assert.deepEqual(phone.size, [1932, 2576], 'the original size (2576x1932 stored), upright');

    const heic = results['formats/heic_iphone13promax_orient6.heic'];
    assert.equal(heic.ok, true, heic.error);
    assert.equal(heic.format, 'heif');
    assert.equal(heic.noPreview, null, 'Chromium has no HEIC decoder: ours, loaded for it, makes the previews');
    assert.deepEqual([heic.web.type, heic.web.width, heic.web.height], ['image/webp', 1536, 2048], 'upright: the HEIC is turned a quarter');
    assert.deepEqual([heic.thumb.type, heic.thumb.width, heic.thumb.height], ['image/webp', 400, 533]);
    assert.deepEqual(heic.size, [3024, 4032]);
    assert.equal(heic.orientation, 6);
    assert.equal(heic.takenAt, '2022-02-16T12:55:41');

    const bomb = results['broken/jpeg_max_size_65535x65535.jpg'];
    assert.equal(bomb.ok, false);
    assert.match(bomb.error, /65535x65535 pixels, more than the 200000000-pixel limit/);

    const named = results['formats/jpeg_named_as_nef.nef'];
    assert.equal(named.ok, true, 'the worker goes on after an error');
    assert.equal(named.format, 'jpeg');
    assert.equal(named.web.type, 'image/webp');

    const arithmetic = results['formats/jpeg_arithmetic.jpg'];
    assert.equal(arithmetic.ok, true, arithmetic.error);
    assert.equal(arithmetic.noPreview, null, 'ours cannot decode arithmetic coding; Chromium can, and does');
    assert.deepEqual([arithmetic.web.type, arithmetic.web.width, arithmetic.web.height], ['image/webp', 227, 149]);

    const twelveBit = results['formats/jpeg_12bit.jpg'];
    assert.equal(twelveBit.ok, true, twelveBit.error);
    assert.equal(twelveBit.noPreview, null, 'Chromium cannot read a 12-bit JPEG; ours (libjpeg-turbo-rs) does');
    assert.deepEqual([twelveBit.format, twelveBit.web.type, twelveBit.web.width, twelveBit.web.height], ['jpeg', 'image/webp', 149, 227]);

    const empty = results['broken/jpeg_empty_0_bytes.jpg'];
    assert.deepEqual([empty.ok, empty.error], [false, 'the file is empty']);
    assert.deepEqual(problems, []);
  });

  test('reads every byte of a file once, in order, even when the browser stops answering a read', async () => {
    const page = await browser.newPage();
    const problems = watchForProblems(page);
    await page.goto(stack.url);
    const outcome = await page.evaluate(async () => {
      const { eachChunk } = await import('/worker/file-bytes.js');
      // 3.5 MiB of counting bytes: a short last buffer, and any reordering shows.
      const bytes = new Uint8Array(3.5 * 1024 * 1024).map((_, i) => (i * 7 + (i >> 16)) & 0xff);
      const digest = async (data) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].join(',');
      const collect = async (blob, options) => {
        const chunks = [];
        // A chunk is only valid during the call: keep a copy.
        const count = await eachChunk(blob, (chunk) => chunks.push(chunk.slice()), options);
        const all = new Uint8Array(await new Blob(chunks).arrayBuffer());
        return { count, same: (await digest(all)) === (await digest(bytes)), chunks: chunks.length };
      };
      const whole = await collect(new Blob([bytes]));
      // A Blob whose byte stream answers one read of 1 MiB and then never again,
      // as Chromium's sometimes does under load; its slices are real Blobs.
      const real = new Blob([bytes]);
      let answered = 0;
      const stalling = {
        size: real.size,
        slice: (...range) => real.slice(...range),
        stream: () => new ReadableStream({
          type: 'bytes',
          pull(controller) {
            if (answered > 0) return new Promise(() => {});
            const request = controller.byobRequest;
            request.view.set(bytes.subarray(0, request.view.byteLength));
            answered += request.view.byteLength;
            request.respond(request.view.byteLength);
            return undefined;
          },
        }),
      };
      const stalled = await collect(stalling, { stallMs: 300 });
      return { whole, stalled, answered, size: bytes.length };
    });
    assert.deepEqual([outcome.whole.count, outcome.whole.same], [outcome.size, true], 'every byte once, in order');
    // Reads of one reused 1 MiB buffer: four at the least; a read may answer
    // fewer bytes than the buffer holds (it did once under CI's load), never more.
    assert.ok(outcome.whole.chunks >= 4 && outcome.whole.chunks <= 8, `${outcome.whole.chunks} reads`);
    assert.equal(outcome.answered, 1024 * 1024, 'the stalling stream answered its first read');
    assert.equal(outcome.stalled.count, outcome.size);
    assert.equal(outcome.stalled.same, true, 'after the stall the rest is read from where it stopped, nothing twice');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
