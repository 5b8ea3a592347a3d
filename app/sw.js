// Shoebox's service worker: the app shell offline, thumbnails kept, photos
// shared to the app from the phone's share sheet, and updates the user
// chooses to take. Written by hand rather than generated (Workbox): two of its
// jobs need code of their own anyway (share-target files into the upload
// queue's IndexedDB; thumbnails cached by path because their URLs are signed
// afresh on every page), and the rest is forty lines of `fetch` handling.
//
// `cargo xtask build` writes this file to dist/sw.js with VERSION and
// PRECACHE filled in from Trunk's hashed output; a new build is a new
// VERSION, so a new worker, which waits until the user reloads.

const VERSION = '__SHOEBOX_VERSION__';
const PRECACHE = ['__SHOEBOX_PRECACHE__'];

const SHELL = `shoebox-shell-${VERSION}`;
/** API answers and /config.json, for when the network is gone. */
const DATA = 'shoebox-data';
/** Thumbnails, keyed by their path (their query is a signature that changes). */
const THUMBS = 'shoebox-thumbs';
/** Trimmed back to this many every 100 kept, so at most 99 over. */
const MAX_THUMBS = 2000;
/**
 * How long a kept API answer may stand in for the network: no longer than the
 * presigned URLs in it work. They are signed for 2 h from the start of the hour
 * (`VIEW_URL_LIFETIME` in lambda-index/src/store/s3.rs): at least an hour.
 */
const DATA_MAX_AGE_MS = 55 * 60 * 1000;
const KEPT_AT = 'x-shoebox-kept-at';

const UPLOADS_DB = 'shoebox-uploads';
const UPLOADS_DB_VERSION = 2;
/** Files shared to the app, waiting for the app (and a signed-in user) to queue them. */
const SHARED_STORE = 'shared';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll(PRECACHE);
    // The first worker takes over at once; later ones wait for the user.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('shoebox-shell-') && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'take-update') self.skipWaiting();
  // Signing out leaves nothing of the user's behind on this device.
  if (event.data === 'signed-out') event.waitUntil(Promise.all([caches.delete(DATA), caches.delete(THUMBS)]));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === 'POST' && url.origin === self.location.origin && url.pathname === '/share-target') {
    event.respondWith(receiveShared(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.origin === self.location.origin) {
    if (request.mode === 'navigate') event.respondWith(shell(request));
    else if (url.pathname === '/config.json') event.respondWith(networkFirst(event));
    else if (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/public/')) event.respondWith(networkFirst(event));
    else if (PRECACHE.includes(url.pathname)) event.respondWith(cacheFirst(request));
  } else if (/\/u\/[^/]+\/t\/[0-9a-f]{64}\.\w+$/.test(url.pathname)) {
    event.respondWith(thumbnail(event));
  }
});

/** A page: the network's index.html, or the kept one when offline. */
async function shell(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.match('/index.html', { cacheName: SHELL });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  return (await caches.match(request, { cacheName: SHELL })) ?? fetch(request);
}

/**
 * The network's answer (kept for later, after the page has it, when it is a
 * success), or the kept one while it is young enough that the presigned URLs
 * in it still work.
 */
async function networkFirst(event) {
  const request = event.request;
  try {
    const answer = await fetch(request);
    if (answer.ok) event.waitUntil(keep(request, answer.clone()));
    return answer;
  } catch (error) {
    const kept = await caches.match(request, { cacheName: DATA });
    if (kept && Date.now() - Number(kept.headers.get(KEPT_AT)) < DATA_MAX_AGE_MS) return kept;
    throw error;
  }
}

/** Keeps an API answer, stamped with when. */
async function keep(request, answer) {
  const headers = new Headers(answer.headers);
  headers.set(KEPT_AT, String(Date.now()));
  const body = await answer.blob();
  const cache = await caches.open(DATA);
  await cache.put(request, new Response(body, { status: answer.status, statusText: answer.statusText, headers }));
}

/** Thumbnails kept since the cache was last trimmed (trimming lists every key). */
let keptSinceTrim = 0;
const TRIM_EVERY = 100;

/**
 * A thumbnail: the kept copy of its path if there is one, else fetched, and
 * kept after the page has it.
 */
async function thumbnail(event) {
  const request = event.request;
  const key = new URL(request.url);
  key.search = '';
  const kept = await caches.match(key.href, { cacheName: THUMBS });
  if (kept) return kept;
  const answer = await fetch(request);
  if (answer.ok && answer.type === 'cors') {
    const copy = answer.clone();
    event.waitUntil((async () => {
      const cache = await caches.open(THUMBS);
      await cache.put(key.href, copy);
      keptSinceTrim += 1;
      if (keptSinceTrim >= TRIM_EVERY) {
        keptSinceTrim = 0;
        await trim(cache);
      }
    })());
  }
  return answer;
}

/** Keeps the thumbnail cache bounded: the oldest go first. */
async function trim(cache) {
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_THUMBS))) await cache.delete(old);
}

/**
 * Photos shared to the app: kept in IndexedDB until the app, with a signed-in
 * user, puts them in its upload queue; then the app opens on its queue.
 */
async function receiveShared(request) {
  let count = 0;
  try {
    const form = await request.formData();
    const files = form.getAll('photos').filter((value) => value instanceof File);
    const db = await openUploads();
    await new Promise((resolve, reject) => {
      const transaction = db.transaction(SHARED_STORE, 'readwrite');
      const store = transaction.objectStore(SHARED_STORE);
      for (const file of files) store.add({ file, added: Date.now() });
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
    count = files.length;
  } catch (error) {
    console.warn('share target: the shared files could not be kept', error);
    return Response.redirect('/?shared=failed', 303);
  }
  return Response.redirect(`/?shared=${count}`, 303);
}

/** The upload queue's database; the app's `upload/persisted.rs` opens the same. */
function openUploads() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(UPLOADS_DB, UPLOADS_DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('pending')) db.createObjectStore('pending', { keyPath: 'id' });
      if (!db.objectStoreNames.contains(SHARED_STORE)) db.createObjectStore(SHARED_STORE, { autoIncrement: true });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
