// The CloudFront Function of infra/template.yaml (SpaRewriteFunction), run as
// CloudFront runs it: the SPA's routes get index.html, files and the API pass
// untouched, by the same rule as the local server (`local/src/spa.rs`: a path
// whose last segment has no extension is a route). Run by `cargo xtask check-infra`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { literalBlock } from './template-text.mjs';

// eslint-disable-next-line no-new-func
const handler = new Function(`${literalBlock('FunctionCode')}\nreturn handler;`)();
const rewrite = (uri) => handler({ request: { uri, method: 'GET', headers: {} } }).uri;

test("the SPA's routes are served index.html", () => {
  for (const route of [
    '/',
    '/photo/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    '/albums',
    '/albums/01JD5Q8Z6K3M2N1P0R9S8T7V6W',
    '/shared',
    '/s/Zm9vYmFyYmF6cXV4cXV1eA',
    '/auth/callback',
  ]) {
    assert.equal(rewrite(route), '/index.html', route);
  }
});

test('files and the API pass untouched', () => {
  for (const path of [
    '/app-1f2e3d4c5b6a7980_bg.wasm',
    '/boot-0123456789abcdef.js',
    '/config.json',
    '/sw.js',
    '/manifest.webmanifest',
    '/icons/icon-192.png',
    '/worker/pipeline_web_bg.wasm',
    '/api/photos',
    '/api/public/Zm9vYmFyYmF6cXV4cXV1eA',
  ]) {
    assert.equal(rewrite(path), path, path);
  }
});

test('a missing file stays missing rather than turning into the page', () => {
  assert.equal(rewrite('/no-such-script.js'), '/no-such-script.js');
});
