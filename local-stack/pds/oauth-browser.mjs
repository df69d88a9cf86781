// Test only: signs a user in through an atproto PDS's OAuth pages in a real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core; no browser is downloaded).
//
//   node oauth-browser.mjs --start-url=URL --identifier=alice.coves.test --password=... [--deny]
//        --stop-prefix=http://127.0.0.1/callback [--stop-prefix=social.coves:/callback ...]
//        [--map-host=appview.coves-e2e.net ...] [--timeout-ms=60000] [--chromium=/usr/bin/chromium]
//        [--screenshot-dir=DIR]
//
// It opens URL and, whenever the page shows the PDS's welcome screen, clicks "Sign in"; on the sign-in form it fills
// the identifier and the password and submits (once: a form still there with an alert after that is a refused
// sign-in); on the consent screen it clicks "Authorize" (with --deny: "Deny access"). When the client's login_hint
// names another account than --identifier, the page is not given the hint and the browser signs in as --identifier:
// a user signing in as someone else than the client asked for (the PDS allows it; the client must check `sub`).
// It stops as soon as a main-frame request goes to a URL that starts with one of the --stop-prefix values: an http(s)
// request is aborted before it is sent (so nothing serves it), and a redirect to another scheme (an app's deep link,
// social.coves:/callback?...) is caught from the redirect's Location header. --map-host names resolve to 127.0.0.1
// in the browser (--host-resolver-rules; the port is kept) and their self-signed certificates are accepted.
//
// Prints one JSON line on stdout and exits 0 when stopped at a prefix, 1 otherwise (timeout, error page, ...):
//   {"stoppedAt": url|null, "navigations": [main-frame URLs], "responses": [{url,status,location}] (for the
//    --map-host hosts), "cookies": [{name,value,domain,path,httpOnly,secure,sameSite}] (all of the context's),
//    "error": msg|null, "screenshot": png path when it failed|null}
// Progress goes to stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

const USAGE =
  'usage: node oauth-browser.mjs --start-url=URL --identifier=HANDLE --password=PW [--deny] ' +
  '--stop-prefix=PREFIX [--stop-prefix=...] [--map-host=HOST ...] [--timeout-ms=60000] ' +
  '[--chromium=/usr/bin/chromium] [--screenshot-dir=DIR]';
const REPEATABLE = new Set(['stop-prefix', 'map-host']);
const FLAGS = new Set(['deny', 'help']);
const POLL_MS = 200;
const SAME_ACTION_AGAIN_MS = 5_000;

function parseArgs(argv) {
  const args = { 'stop-prefix': [], 'map-host': [] };
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new Error(`unexpected argument: ${arg}`);
    const [, name, value] = m;
    if (FLAGS.has(name)) args[name] = value === undefined || value === 'true';
    else if (value === undefined) throw new Error(`--${name} needs a value (--${name}=...)`);
    else if (REPEATABLE.has(name)) args[name].push(value);
    else args[name] = value;
  }
  return args;
}

function log(...parts) {
  process.stderr.write(`[oauth-browser] ${parts.join(' ')}\n`);
}

/** A CDP Fetch URL pattern matching everything that starts with `prefix` ('*', '?' and '\' escaped). */
function fetchPattern(prefix) {
  return prefix.replace(/[\\*?]/g, (c) => `\\${c}`) + '*';
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args['start-url'] || args['stop-prefix'].length === 0) {
    process.stderr.write(USAGE + '\n');
    process.exit(args.help ? 0 : 2);
  }
  const startUrl = args['start-url'];
  const stopPrefixes = args['stop-prefix'];
  const mapHosts = args['map-host'].map((h) => h.toLowerCase());
  const timeoutMs = Number(args['timeout-ms'] ?? 60_000);
  const deny = Boolean(args.deny);
  const identifier = args.identifier ?? '';
  const password = args.password ?? '';

  const result = { stoppedAt: null, navigations: [], responses: [], cookies: [], error: null, screenshot: null };
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coves-oauth-browser-'));
  let context;
  let page;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const stopAt = (url) => {
    if (result.stoppedAt === null && result.error === null) {
      result.stoppedAt = url;
      log('stopped at', url);
      finish();
    }
  };
  const fail = (message) => {
    if (result.stoppedAt === null && result.error === null) {
      result.error = message;
      log('failed:', message);
      finish();
    }
  };
  const matchesStop = (url) => stopPrefixes.some((p) => url.startsWith(p));
  const isMainFrame = (request) => {
    try {
      return request.isNavigationRequest() && request.frame() === page?.mainFrame();
    } catch {
      return false; // a request of a frame that is gone
    }
  };
  const isMapped = (url) => {
    try {
      return mapHosts.includes(new URL(url).hostname.toLowerCase());
    } catch {
      return false;
    }
  };

  const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms at ${safeUrl(page)}`), timeoutMs);
  try {
    const launchArgs = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ];
    if (mapHosts.length > 0) {
      launchArgs.push(`--host-resolver-rules=${mapHosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`);
    }
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: args.chromium ?? '/usr/bin/chromium',
      headless: true,
      args: launchArgs,
      ignoreHTTPSErrors: true, // the test hosts' self-signed certificates (test browser only)
      locale: 'en-US', // the PDS's pages are localised; the buttons below are found by their English names
      viewport: { width: 1280, height: 900 },
    });
    // The PDS's page gets the client's login_hint as hydration data and then only lets that account sign in (the
    // server itself does not bind the sign-in to the hint). When told to sign in as another account, the page is
    // given no hint: a user signing in as someone else than the client asked for, which the client must refuse.
    await context.addInitScript((identifier) => {
      const norm = (v) => String(v ?? '').trim().toLowerCase().replace(/^@/, '');
      let data;
      Object.defineProperty(window, '__authorizeData', {
        configurable: true,
        enumerable: true,
        get: () => data,
        set: (value) => {
          if (value && value.loginHint && identifier && norm(value.loginHint) !== norm(identifier)) {
            console.info(`[oauth-browser] signing in as ${identifier}, not as ${value.loginHint} (the login_hint)`);
            value = { ...value, loginHint: undefined };
          }
          data = value;
        },
      });
    }, identifier);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.text().startsWith('[oauth-browser] ')) log(message.text().slice('[oauth-browser] '.length));
    });
    page.on('dialog', (dialog) => dialog.dismiss().catch(() => {}));

    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      const url = frame.url();
      result.navigations.push(url);
      log('at', url);
      if (matchesStop(url)) stopAt(url);
    });
    page.on('request', (request) => {
      if (isMainFrame(request) && matchesStop(request.url())) stopAt(request.url());
    });
    page.on('requestfailed', (request) => {
      if (isMainFrame(request) && matchesStop(request.url())) stopAt(request.url());
    });
    page.on('response', (response) => {
      const request = response.request();
      const location = response.headers()['location'] ?? null;
      if (isMapped(response.url())) {
        result.responses.push({ url: response.url(), status: response.status(), location });
      }
      // A redirect to a non-network scheme (an app's deep link) never becomes a request: catch its Location.
      if (location && response.status() >= 300 && response.status() < 400 && isMainFrame(request)) {
        let target;
        try {
          target = new URL(location, response.url()).href;
        } catch {
          target = location;
        }
        if (matchesStop(target) && !/^https?:/i.test(target)) stopAt(target);
      }
    });

    // Playwright's routes never see redirected requests; the DevTools Fetch domain does, so an http(s) stop URL
    // reached through a redirect is still aborted before it is sent.
    const cdp = await context.newCDPSession(page);
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const mainFrameId = frameTree.frame.id;
    cdp.on('Fetch.requestPaused', async (event) => {
      const url = event.request.url;
      const stop = matchesStop(url) && event.resourceType === 'Document' && event.frameId === mainFrameId;
      if (stop) stopAt(url);
      await cdp
        .send(stop ? 'Fetch.failRequest' : 'Fetch.continueRequest', {
          requestId: event.requestId,
          ...(stop ? { errorReason: 'Aborted' } : {}),
        })
        .catch(() => {});
    });
    const patterns = stopPrefixes.filter((p) => /^https?:/i.test(p)).map((p) => ({ urlPattern: fetchPattern(p) }));
    if (patterns.length > 0) await cdp.send('Fetch.enable', { patterns });

    log('opening', startUrl);
    page.goto(startUrl).catch((err) => {
      if (!result.stoppedAt) log('start page:', err.message.split('\n')[0]);
    });
    await Promise.race([finished, drive(page, { identifier, password, deny, fail, isDone: () => done(result) })]);
  } catch (err) {
    fail(err?.message ?? String(err));
  } finally {
    clearTimeout(timer);
  }

  if (result.error !== null && page) {
    const dir = args['screenshot-dir'] ?? os.tmpdir();
    const file = path.join(dir, `oauth-browser-${Date.now()}.png`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      result.screenshot = file;
    } catch (err) {
      log('no screenshot:', err.message.split('\n')[0]);
    }
  }
  if (context) {
    try {
      result.cookies = (await context.cookies()).map(({ name, value, domain, path: p, httpOnly, secure, sameSite }) => ({
        name,
        value,
        domain,
        path: p,
        httpOnly,
        secure,
        sameSite,
      }));
    } catch (err) {
      log('no cookies:', err.message.split('\n')[0]);
    }
    await context.close().catch(() => {});
  }
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(result) + '\n');
  return result.stoppedAt !== null ? 0 : 1;
}

function done(result) {
  return result.stoppedAt !== null || result.error !== null;
}

function safeUrl(page) {
  try {
    return page?.url() ?? '(no page yet)';
  } catch {
    return '(page closed)';
  }
}

async function visible(locator) {
  try {
    return await locator.first().isVisible();
  } catch {
    return false;
  }
}

/**
 * Acts on whatever the PDS's authorization page shows, until the run is done. The page is one React app whose step
 * is in the URL's hash (#step=welcome, #step=sign-in, #step=consent); its buttons have no ids, so they are found by
 * role and English name. Each action is repeated at most every few seconds (a slow answer is not a reason to
 * submit twice); a failed action (the page moved on under it) is simply tried again on the next round.
 */
async function drive(page, { identifier, password, deny, fail, isDone }) {
  const lastAction = new Map();
  let signInSubmitted = 0;
  const due = (name) => Date.now() - (lastAction.get(name) ?? 0) > SAME_ACTION_AGAIN_MS;
  const did = (name, what = name) => {
    lastAction.set(name, Date.now());
    log(what);
  };
  while (!isDone()) {
    try {
      await act();
    } catch (err) {
      if (!isDone()) log('retrying after:', err.message.split('\n')[0]);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  async function act() {
    if ((await page.title().catch(() => '')) === 'Something went wrong') {
      const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '');
      fail(`the PDS shows an error page: ${text.replace(/\s+/g, ' ').trim().slice(0, 300)}`);
      return;
    }
    const form = page.locator('form');
    const passwordField = form.locator('input[name="password"]');
    if (await visible(passwordField)) {
      const alert = form.locator('[role="alert"]');
      if (signInSubmitted > 0 && (await visible(alert)) && due('sign in')) {
        const text = await alert.first().innerText({ timeout: 2_000 }).catch(() => '');
        fail(`sign-in refused: ${text.trim() || 'the sign-in form is still there'}`);
        return;
      }
      if (!due('sign in')) return;
      const usernameField = form.locator('input[name="username"]');
      if ((await visible(usernameField)) && (await usernameField.first().isEditable())) {
        await usernameField.first().fill(identifier, { timeout: 5_000 });
      }
      await passwordField.first().fill(password, { timeout: 5_000 });
      did('sign in');
      signInSubmitted++;
      await form.locator('button[type="submit"]').first().click({ timeout: 5_000 });
      return;
    }
    const decide = page.getByRole('button', { name: deny ? 'Deny access' : 'Authorize', exact: true });
    if (await visible(decide)) {
      if (!due('consent')) return;
      did('consent', deny ? 'consent: deny access' : 'consent: authorize');
      await decide.first().click({ timeout: 5_000 });
      return;
    }
    const welcomeSignIn = page.getByRole('button', { name: 'Sign in', exact: true });
    if (await visible(welcomeSignIn)) {
      if (!due('welcome')) return;
      did('welcome', 'welcome: sign in');
      await welcomeSignIn.first().click({ timeout: 5_000 });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stdout.write(
      JSON.stringify({
        stoppedAt: null,
        navigations: [],
        responses: [],
        cookies: [],
        error: err?.message ?? String(err),
        screenshot: null,
      }) + '\n',
    );
    process.exit(1);
  },
);
