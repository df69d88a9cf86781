// A Jetstream v1 server (`GET /subscribe`, JSON text frames) fed by one PDS's com.atproto.sync.subscribeRepos.
//
// The PDS's firehose is read with @atproto/sync's Firehose (CBOR decoding, commit signature and MST proof checks
// against the key in the DID document). Every event it yields becomes one Jetstream frame with a `time_us`
// witnessed here, strictly increasing across the feed, kept in memory and appended to
// <data-dir>/jetstream/events.jsonl, so a restarted feed replays what it served before and resumes the PDS's
// firehose after the last sequence number it processed.
//
// Standalone: node jetstream-feed.mjs --pds=http://localhost:2583 [--plc=http://localhost:2582] [--port=6009]
//             [--data-dir=DIR] [--upstream-cursor=N] [--unauthenticated] [--exit-with-parent]
import './polyfills.mjs';

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { IdResolver, MemoryCache } from '@atproto/identity';
import { lexToJson } from '@atproto/lex-json';
import { Firehose } from '@atproto/sync';
import { WebSocketServer } from 'ws';

import { LOOPBACK, announceReady, intArg, onShutdown, parseArgs, serveOtherUpgradesAsHttp } from './cli.mjs';

const PING_INTERVAL_MS = 30_000;
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const MAX_WANTED_COLLECTIONS = 100;
const MAX_WANTED_DIDS = 10_000;
const NSID = /^[a-zA-Z]([a-zA-Z0-9-]{0,62})?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?)+$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;

/** Wall-clock microseconds. */
const nowMicros = () => Math.floor((performance.timeOrigin + performance.now()) * 1000);

/** The served events, in order; time_us strictly increasing. Optionally mirrored to a jsonl file. */
export class EventLog {
  constructor(file) {
    this.file = file;
    this.entries = [];
    this.lastTimeUs = 0;
    this.listeners = new Set();
    if (file && fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.push(JSON.parse(line), line);
        } catch {
          console.error(`[jetstream] skipping an unreadable line of ${file}`);
        }
      }
    }
  }

  get length() {
    return this.entries.length;
  }

  /** Stamps `time_us` (witnessed now, above every earlier one), stores the frame and wakes the subscribers. */
  append(build) {
    const timeUs = Math.max(nowMicros(), this.lastTimeUs + 1);
    const frame = build(timeUs);
    const text = JSON.stringify(frame);
    this.push(frame, text);
    if (this.file) fs.appendFileSync(this.file, text + '\n');
    for (const listener of this.listeners) listener();
    return frame;
  }

  push(frame, text) {
    const collection = frame.kind === 'commit' ? frame.commit?.collection : undefined;
    this.entries.push({ did: frame.did, timeUs: frame.time_us, kind: frame.kind, collection, text });
    this.lastTimeUs = Math.max(this.lastTimeUs, frame.time_us);
  }

  /** Index of the first event with time_us >= cursor (the length when there is none: live tip). */
  startIndex(cursor) {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].timeUs < cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** v1 query parameters → a filter; throws with a message for a 400. */
export function parseSubscribeQuery(searchParams) {
  const collections = [...new Set(searchParams.getAll('wantedCollections'))];
  const dids = [...new Set(searchParams.getAll('wantedDids'))];
  if (collections.length > MAX_WANTED_COLLECTIONS) throw new Error(`too many wantedCollections (max ${MAX_WANTED_COLLECTIONS})`);
  if (dids.length > MAX_WANTED_DIDS) throw new Error(`too many wantedDids (max ${MAX_WANTED_DIDS})`);
  const exact = new Set();
  const prefixes = [];
  for (const c of collections) {
    if (c.endsWith('.*') && c.length > 2) prefixes.push(c.slice(0, -1));
    else if (NSID.test(c)) exact.add(c);
    else throw new Error(`invalid wantedCollections entry: ${c}`);
  }
  for (const d of dids) {
    if (!DID.test(d)) throw new Error(`invalid wantedDids entry: ${d}`);
  }
  let cursor = null;
  const raw = searchParams.get('cursor');
  if (raw !== null && raw !== '') {
    if (!/^\d+$/.test(raw)) throw new Error(`invalid cursor: ${raw}`);
    cursor = Number(raw);
  }
  const didSet = new Set(dids);
  const matches = (entry) => {
    if (didSet.size > 0 && !didSet.has(entry.did)) return false;
    if (entry.kind !== 'commit' || !entry.collection) return true; // identity/account: always
    if (exact.size === 0 && prefixes.length === 0) return true;
    return exact.has(entry.collection) || prefixes.some((p) => entry.collection.startsWith(p));
  };
  return { cursor, matches };
}

/** One subscriber: its next index in the log, sent in order while its socket keeps up. */
class Subscriber {
  constructor(ws, log, filter) {
    this.ws = ws;
    this.log = log;
    this.filter = filter;
    this.next = filter.cursor === null ? log.length : log.startIndex(filter.cursor);
    this.retry = null;
  }

  pump() {
    if (this.retry || this.ws.readyState !== this.ws.OPEN) return;
    while (this.next < this.log.length) {
      if (this.ws.bufferedAmount > HIGH_WATER_BYTES) {
        this.retry = setTimeout(() => {
          this.retry = null;
          this.pump();
        }, 20);
        return;
      }
      const entry = this.log.entries[this.next++];
      if (this.filter.matches(entry)) this.ws.send(entry.text);
    }
  }

  stop() {
    clearTimeout(this.retry);
  }
}

/** com.atproto.sync.subscribeRepos event (parsed by @atproto/sync) → Jetstream v1 frame builder, or null. */
function toFrame(evt) {
  switch (evt.event) {
    case 'create':
    case 'update':
      return (timeUs) => ({
        did: evt.did,
        time_us: timeUs,
        kind: 'commit',
        commit: {
          rev: evt.rev,
          operation: evt.event,
          collection: evt.collection,
          rkey: evt.rkey,
          record: lexToJson(evt.record),
          cid: evt.cid.toString(),
        },
      });
    case 'delete':
      return (timeUs) => ({
        did: evt.did,
        time_us: timeUs,
        kind: 'commit',
        commit: { rev: evt.rev, operation: 'delete', collection: evt.collection, rkey: evt.rkey },
      });
    case 'identity':
      return (timeUs) => ({
        did: evt.did,
        time_us: timeUs,
        kind: 'identity',
        identity: { did: evt.did, ...(evt.handle ? { handle: evt.handle } : {}), seq: evt.seq, time: evt.time },
      });
    case 'account':
      return (timeUs) => ({
        did: evt.did,
        time_us: timeUs,
        kind: 'account',
        account: {
          active: evt.active,
          did: evt.did,
          seq: evt.seq,
          time: evt.time,
          ...(evt.status ? { status: evt.status } : {}),
        },
      });
    default:
      return null; // #sync: never on the v1 wire
  }
}

/**
 * Handles are checked by asking the PDS (com.atproto.identity.resolveHandle), which answers for its own handle
 * domains; a handle that does not resolve back to the DID is left out of the identity frame, as @atproto/sync does.
 */
function pdsHandleResolver(pdsUrl) {
  return {
    async resolve(handle) {
      try {
        const res = await fetch(`${pdsUrl}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(handle)}`);
        if (!res.ok) return undefined;
        return (await res.json()).did;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Starts the feed. Options: pdsUrl, plcUrl, port (0 = any), dataDir (optional: no persistence without it),
 * upstreamCursor (PDS seq to start after; default: where the data dir left off, else 0 = the PDS's whole backfill
 * window), unauthenticated (skip commit signature/proof checks and handle checks).
 * Returns { url, port, log, close() }.
 */
export async function startJetstreamFeed(opts) {
  const pdsUrl = opts.pdsUrl.replace(/\/$/, '');
  const dir = opts.dataDir ? path.join(opts.dataDir, 'jetstream') : null;
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const log = new EventLog(dir ? path.join(dir, 'events.jsonl') : null);
  const cursorFile = dir ? path.join(dir, 'upstream-cursor.json') : null;
  let lastSeq = opts.upstreamCursor ?? 0;
  if (opts.upstreamCursor === undefined && cursorFile && fs.existsSync(cursorFile)) {
    const saved = JSON.parse(fs.readFileSync(cursorFile, 'utf8'));
    if (saved.pds === pdsUrl) lastSeq = saved.seq;
  }

  const subscribers = new Set();
  log.listeners.add(() => subscribers.forEach((s) => s.pump()));

  const serveHttp = (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/subscribe') {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('websocket upgrade required\n');
    } else if (url.pathname === '/' || url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok', events: log.length, upstream: pdsUrl, upstreamSeq: lastSeq }) + '\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };
  const server = http.createServer(serveHttp);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://localhost');
    const refuse = (status, text) => {
      socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
    };
    if (url.pathname !== '/subscribe') return refuse('404 Not Found', 'not found\n');
    let filter;
    try {
      filter = parseSubscribeQuery(url.searchParams);
    } catch (err) {
      return refuse('400 Bad Request', `subscribe: invalid options: ${err.message}\n`);
    }
    // compress=true is not supported (no zstd dictionary here): frames stay plain JSON text, which a v1 client
    // reading text frames handles as well.
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sub = new Subscriber(ws, log, filter);
      subscribers.add(sub);
      ws.isAlive = true;
      ws.on('pong', () => (ws.isAlive = true));
      ws.on('message', () => {}); // options_update is not supported; client messages are ignored
      ws.on('close', () => {
        sub.stop();
        subscribers.delete(sub);
      });
      ws.on('error', () => ws.terminate());
      sub.pump();
    });
  });
  serveOtherUpgradesAsHttp(server, serveHttp);
  const pings = setInterval(() => {
    for (const sub of subscribers) {
      if (!sub.ws.isAlive) {
        sub.ws.terminate();
        continue;
      }
      sub.ws.isAlive = false;
      sub.ws.ping();
    }
  }, PING_INTERVAL_MS);
  pings.unref();

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, resolve);
  });
  const port = server.address().port;

  const idResolver = new IdResolver({ plcUrl: opts.plcUrl, timeout: 5000, fetch: globalThis.fetch });
  idResolver.handle = pdsHandleResolver(pdsUrl);
  // Every commit is verified against its account's signing key: keep the keys (a commit signed with a rotated key
  // fails its proof, and the Firehose then asks again with a forced refresh). Identity events resolve fresh (they
  // must carry the new document) and drop the cached entry, so the next commit's key is fresh too.
  const keyCache = new MemoryCache();
  const keyResolver = new IdResolver({ plcUrl: opts.plcUrl, timeout: 5000, fetch: globalThis.fetch, didCache: keyCache });
  idResolver.did.resolveAtprotoKey = (did, forceRefresh) => keyResolver.did.resolveAtprotoKey(did, forceRefresh);
  // the upstream cursor is saved at most once a second (and on close), not once per event
  let cursorDirty = false;
  const saveCursor = () => {
    if (cursorFile && cursorDirty) {
      cursorDirty = false;
      fs.writeFileSync(cursorFile, JSON.stringify({ pds: pdsUrl, seq: lastSeq }));
    }
  };
  const cursorSaver = setInterval(saveCursor, 1000);
  cursorSaver.unref();
  const firehose = new Firehose({
    idResolver,
    service: pdsUrl.replace(/^http/, 'ws'),
    getCursor: () => lastSeq,
    unauthenticatedCommits: !!opts.unauthenticated,
    unauthenticatedHandles: !!opts.unauthenticated,
    excludeSync: true,
    subscriptionReconnectDelay: 500,
    handleEvent: (evt) => {
      if (evt.event === 'identity') keyCache.clearEntry(evt.did);
      const build = toFrame(evt);
      if (build) log.append(build);
      if (evt.seq > lastSeq) {
        lastSeq = evt.seq;
        cursorDirty = true;
      }
    },
    onError: (err) => console.error(`[jetstream] ${err.message}${err.cause ? `: ${err.cause.message ?? err.cause}` : ''}`),
  });
  firehose.start();

  return {
    port,
    url: `ws://localhost:${port}/subscribe`,
    log,
    async close() {
      clearInterval(pings);
      clearInterval(cursorSaver);
      await Promise.race([firehose.destroy().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
      saveCursor();
      for (const sub of subscribers) sub.ws.close(1001, 'server shutting down');
      await new Promise((resolve) => server.close(resolve));
      setTimeout(() => subscribers.forEach((s) => s.ws.terminate()), 1000).unref();
    },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.pds) throw new Error('usage: node jetstream-feed.mjs --pds=http://localhost:2583 [--plc=URL] [--port=6009] [--data-dir=DIR] [--upstream-cursor=N] [--unauthenticated] [--exit-with-parent]');
  const feed = await startJetstreamFeed({
    pdsUrl: args.pds,
    plcUrl: args.plc ?? 'https://plc.directory',
    port: intArg(args, 'port', 6009),
    dataDir: args['data-dir'],
    upstreamCursor: args['upstream-cursor'] === undefined ? undefined : Number(args['upstream-cursor']),
    unauthenticated: !!args.unauthenticated,
  });
  onShutdown(args, () => feed.close());
  announceReady({ jetstream: feed.url, pds: args.pds });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
