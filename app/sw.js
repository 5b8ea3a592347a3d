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

importScripts('/zip-writer.js', '/sw-zip.js');

const VERSION = '__SHOEBOX_VERSION__';
const PRECACHE = ['__SHOEBOX_PRECACHE__'];

const SHELL = `shoebox-shell-${VERSION}`;
/**
 * API answers, for when the network is gone: one cache per user
 * (`shoebox-data-{sub}`, the `sub` of the request's own bearer token), so an
 * answer kept for one person is never served to another on the same device.
 */
const DATA_PREFIX = 'shoebox-data-';
/** /config.json, which is the same for everyone. */
const CONFIG = 'shoebox-config';
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
/** Files shared to the app, waiting for the signed-in person to back them up or drop them. */
const SHARED_STORE = 'shared';
/**
 * At most this many wait: any page can POST to the share target, and what it
 * sends must not fill the device. Past it, a share keeps nothing more.
 */
const MAX_SHARED = 500;

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
      // Before caches were kept per user, one held everyone's answers.
      if (name === 'shoebox-data') await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'take-update') self.skipWaiting();
  // Signing out leaves nothing of the user's behind on this device.
  if (event.data === 'signed-out') event.waitUntil(forgetUsersBut(null));
  // Someone signed in: what another person left (a session that ended without
  // signing out) goes.
  if (event.data?.type === 'signed-in' && typeof event.data.sub === 'string') {
    event.waitUntil(forgetUsersBut(event.data.sub));
  }
  // A zip of many originals, opened next at /zip/{id}/… (sw-zip.js).
  if (event.data?.type === 'zip') acceptZip(event);
});

/** Deletes every user's kept answers but `sub`'s, and, if any went, the thumbnails. */
async function forgetUsersBut(sub) {
  const keep = sub === null ? null : dataCacheName(sub);
  let forgot = false;
  for (const name of await caches.keys()) {
    if (name.startsWith(DATA_PREFIX) && name !== keep) {
      await caches.delete(name);
      forgot = true;
    }
  }
  if (forgot || sub === null) await caches.delete(THUMBS);
}

function dataCacheName(sub) {
  return DATA_PREFIX + encodeURIComponent(sub);
}

/**
 * The cache for `request`'s user: the `sub` of its bearer token. The token is
 * not checked here (the API does that); it only says whose copy to use. No
 * token, no cache.
 */
function dataCacheFor(request) {
  const match = /^Bearer ([\w-]+)\.([\w-]+)\./.exec(request.headers.get('Authorization') ?? '');
  if (!match) return null;
  try {
    const claims = JSON.parse(atob(match[2].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims.sub === 'string' && claims.sub ? dataCacheName(claims.sub) : null;
  } catch {
    return null;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === 'POST' && url.origin === self.location.origin && url.pathname === '/share-target') {
    event.respondWith(receiveShared(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.origin === self.location.origin) {
    if (url.pathname.startsWith('/zip/')) event.respondWith(zipResponse(url));
    else if (request.mode === 'navigate') event.respondWith(shell(request));
    else if (url.pathname === '/config.json') event.respondWith(networkFirst(event, CONFIG));
    else if (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/public/')) {
      const cache = dataCacheFor(request);
      if (cache) event.respondWith(networkFirst(event, cache));
    }
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
async function networkFirst(event, cacheName) {
  const request = event.request;
  try {
    const answer = await fetch(request);
    if (answer.ok) event.waitUntil(keep(request, answer.clone(), cacheName));
    return answer;
  } catch (error) {
    const kept = await caches.match(request, { cacheName });
    if (kept && Date.now() - Number(kept.headers.get(KEPT_AT)) < DATA_MAX_AGE_MS) return kept;
    throw error;
  }
}

/** Keeps an API answer in `cacheName`, stamped with when. */
async function keep(request, answer, cacheName) {
  const headers = new Headers(answer.headers);
  headers.set(KEPT_AT, String(Date.now()));
  const body = await answer.blob();
  const cache = await caches.open(cacheName);
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
 * Photos shared to the app: kept in IndexedDB, and only kept. Any page can
 * POST here (a form on another site, sent without the person doing anything),
 * so the app shows what came and uploads it only when the signed-in person
 * chooses "Back up" (`app/src/components/shared_photos.rs`).
 */
async function receiveShared(request) {
  let count = 0;
  try {
    const form = await request.formData();
    const files = form.getAll('photos').filter((value) => value instanceof File && value.size > 0);
    const db = await openUploads();
    count = await new Promise((resolve, reject) => {
      const transaction = db.transaction(SHARED_STORE, 'readwrite');
      const store = transaction.objectStore(SHARED_STORE);
      let kept = 0;
      const counted = store.count();
      counted.onsuccess = () => {
        const room = Math.max(0, MAX_SHARED - counted.result);
        for (const file of files.slice(0, room)) {
          store.add({ file, added: Date.now() });
          kept += 1;
        }
      };
      transaction.oncomplete = () => resolve(kept);
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
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
