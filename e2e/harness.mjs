// The end-to-end harness: starts the real local stack (the `shoebox-local` binary
// that `cargo xtask test` just built) on a free port with a throw-away data dir, and
// launches Debian's Chromium through playwright-core (which never downloads a browser).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`cargo xtask test\``);
  return value;
};

export const artifacts = process.env.SHOEBOX_ARTIFACTS ?? join(process.cwd(), 'target', 'e2e');

/** Why a suite that needs the photo corpus did not run. */
export const NO_CORPUS = 'no photo corpus at ../shared/photos';

/**
 * The photo corpus (`SHOEBOX_CORPUS`, ../shared/photos): its folder, or `null`
 * when it is missing, so the suites that need it are skipped with
 * [`NO_CORPUS`] (and the run's summary counts them as skipped). Under
 * `CI=true` a missing corpus is an error: a suite that cannot run must not
 * pass there.
 */
export async function photoCorpus() {
  const dir = process.env.SHOEBOX_CORPUS;
  const there = Boolean(dir) && (await readFile(join(dir, 'MANIFEST.tsv')).then(() => true, () => false));
  if (there) return dir;
  if (process.env.CI === 'true') throw new Error(`the photo corpus is missing at ${dir}: under CI every test must run`);
  return null;
}

/**
 * Starts the local stack (serving `dist`, by default the build under test);
 * resolves once it has printed its URL. Over a new data folder, or over
 * `dataDir` (a stack started again over what an earlier one left).
 */
export async function startStack({ extraArgs = [], dist = required('SHOEBOX_DIST'), dataDir: kept } = {}) {
  const dataDir = kept ?? await mkdtemp(join(tmpdir(), 'shoebox-e2e-'));
  const child = spawn(
    required('SHOEBOX_BIN'),
    ['--port', '0', '--data', dataDir, '--dist', dist, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  // The URL line comes first, then (on a first run) the first user's credentials,
  // then the data line: resolve once the data line is out.
  let url;
  let storeUrl;
  let firstUser;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start in 30 s: ${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const running = /^Shoebox is running at (\S+)$/.exec(line);
      if (running) url = running[1];
      const store = /^Photos are uploaded to its S3-compatible store at (\S+) /.exec(line);
      if (store) storeUrl = store[1];
      const user = /^First run: sign in as `([^`]+)` with password `([^`]+)`$/.exec(line);
      if (user) firstUser = { username: user[1], password: user[2] };
      if (line.startsWith('Data is kept in ')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url,
    storeUrl,
    firstUser,
    dataDir,
    pid: child.pid,
    /** What the stack has logged so far (its stderr), for a failing test to show. */
    logs: () => stderr,
    /** Stops it; its data folder is removed unless `keepData`. */
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const chromiumOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** Headless Chromium with the flags this machine's closed network needs. */
export async function launchBrowser() {
  return chromium.launch(chromiumOptions);
}

/**
 * The same Chromium with a profile on disk (in `profileDir`), as a person's
 * browser is: Chromium does not offer to install apps in an incognito-like
 * context, which is what `launchBrowser().newContext()` gives.
 */
export async function launchProfile(profileDir, contextOptions = {}) {
  return chromium.launchPersistentContext(profileDir, { ...chromiumOptions, ...contextOptions });
}

/** Collects what a person would call the page breaking: console errors, uncaught exceptions, failed requests. */
export function watchForProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The timeline aborts what it no longer needs: months scrolled away from,
    // and thumbnails of tiles that left the screen before they loaded.
    // And the favicon, when the page navigates (to sign in) before it arrives.
    // A video player drops the range it was reading when it seeks, or when
    // the poster has been drawn and the hidden player is let go.
    // A zip's frame (`/zip/…`) stops loading as its answer becomes a download.
    const path = new URL(request.url()).pathname;
    const dropped = request.failure()?.errorText === 'net::ERR_ABORTED'
      && (['image', 'media'].includes(request.resourceType()) || path === '/api/photos' || path.startsWith('/zip/')
        || /^\/icon-[0-9a-f]+\.svg$/.test(path));
    if (!dropped) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  return problems;
}

/** Saves a screenshot: the whole page, or with `{ fullPage: false }` the screen. */
/**
 * Photos on the page loaded from the store without CORS. A signed URL fetched
 * once without it is cached without CORS headers (S3 sends none then), and the
 * timeline's tiles, which ask with CORS, would be refused that cached copy.
 */
export async function photosWithoutCors(page) {
  return page.$$eval('img', (images) =>
    images
      .filter((image) => /^https?:/.test(image.src) && new URL(image.src).origin !== location.origin)
      .filter((image) => image.crossOrigin !== 'anonymous')
      .map((image) => image.src));
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Goes through the provider's login page; resolves when the app shows the user. */
export async function signIn(page, { username, password }) {
  await page.getByRole('heading', { name: 'Sign in to Shoebox' }).waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const me = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/me');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal((await me).status(), 200, 'the API accepts the new access token');
  await page.getByTestId('account-name').getByText(username, { exact: true }).waitFor();
}
