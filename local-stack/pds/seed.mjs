// Dev only: seeds a running local stack with sample activity through the real write path.
//
//   node seed.mjs --pds=http://localhost:2583 --api=http://localhost:8080 --appview-did=did:web:localhost \
//                 [--domain=coves.test] [--wait-seconds=90]
//                 [--aggregator-domain=localhost:8443 --aggregator-did-file=.local/aggregator-domain/atproto-did]
//
// 1. user accounts on the PDS (com.atproto.server.createAccount; createSession when the handle exists already);
// 2. communities and posts through the AppView's procedures (social.coves.community.create, community.post.create),
//    each call with a service-auth token the user's PDS signs (com.atproto.server.getServiceAuth, aud = the AppView's
//    DID, lxm = the procedure);
// 3. subscriptions, comments (some threaded) and votes written by the users into their own repos
//    (com.atproto.repo.createRecord);
// 4. waits until the API serves every post written in its community's feed (feed.getCommunity) and every comment
//    in its thread (comment.getComments), with the vote, comment and reply counts written;
// 5. with --aggregator-domain: an aggregator (a bot account) declares itself with its service record, proves its DID
//    at https://<aggregator-domain>/.well-known/atproto-did (the file --aggregator-did-file, served by run-local.sh),
//    registers (aggregator.register), is enabled in the first community by its creator (aggregator.enable), makes an
//    API key (aggregator.createApiKey) and posts with it; waits until its posts are in the feed, marked as a bot's.
//
// stdout, one per line (run-local.sh keeps it in .local/seeded):
//   community <name> <did> <handle>
//   user <handle> <did> <password>
//   post <uri>
//   aggregator <handle> <did> <community handle>
// Progress and errors go to stderr; any failure exits non-zero with the XRPC error body.
//
// Re-running against the same stack (after a failed run) logs in to existing accounts, looks existing communities up
// instead of creating them and skips subscriptions that exist; posts, comments and votes are written again.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from './cli.mjs';

const USAGE =
  'usage: node seed.mjs --pds=http://localhost:2583 --api=http://localhost:8080 --appview-did=did:web:localhost ' +
  '[--domain=coves.test] [--wait-seconds=90] [--aggregator-domain=localhost:8443 --aggregator-did-file=PATH]';

// ---------------------------------------------------------------------------------------------------------------
// The sample

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

const TEXT_ONLY = { postTypes: { allowImage: false, allowVideo: false, allowArticle: false, allowMicroblog: false } };

const COMMUNITIES = [
  {
    name: 'gardening',
    by: 'alice',
    displayName: 'Gardening',
    description: 'Balconies, allotments and back yards: what grows, what does not, and what ate it.',
  },
  {
    name: 'rust',
    by: 'bob',
    displayName: 'Rust',
    description: 'The Rust programming language: questions, crates, compiler errors and war stories.',
  },
  {
    name: 'localnews',
    by: 'carol',
    displayName: 'Local news',
    description: 'What is happening around town. Text posts only: write it up, do not just drop a link.',
    contentRules: TEXT_ONLY,
  },
  {
    name: 'boardgames',
    by: 'dave',
    displayName: 'Board games',
    description: 'Tabletop games, game nights and rules arguments settled once and for all.',
  },
  {
    name: 'photography',
    by: 'erin',
    displayName: 'Photography',
    description: 'Cameras, lenses, light, and the pictures that came out of them.',
  },
];

const link = (uri, title) => ({ $type: 'social.coves.embed.external', external: { uri, title } });

// c = a comment: [author, text, ...replies]
const c = (by, content, ...replies) => ({ by, content, replies });

const POSTS = [
  {
    community: 'gardening',
    by: 'alice',
    title: 'Tomatoes on a north-facing balcony?',
    content: 'Four hours of direct sun at best. Is it worth trying cherry tomatoes, or should I stick to herbs?',
    comments: [
      c('bob', 'Cherry tomatoes do fine with four hours. Do not expect a glut though.',
        c('alice', 'A handful a week would already make me happy.'),
        c('grace', 'Try a reflective board behind the pots, it helps more than you would think.')),
      c('frank', 'Herbs first, tomatoes next year once you know the light.'),
    ],
  },
  {
    community: 'gardening',
    by: 'grace',
    title: 'Composting in a flat: bokashi experiences',
    content: 'Three months in with a bokashi bin under the sink. No smell so far, and the tomatoes love it.',
    embed: link('https://example.com/bokashi-guide', 'A beginner guide to bokashi'),
    comments: [c('heidi', 'How often do you drain it?', c('grace', 'Every two or three days.'))],
  },
  {
    community: 'gardening',
    by: 'heidi',
    title: 'Slugs ate every single lettuce',
    content: 'Overnight. All of them. Beer traps, copper tape or just give up?',
    comments: [c('alice', 'Beer traps worked for me, emptied every morning.'), c('erin', 'Grow them in a raised tub.')],
  },
  {
    community: 'rust',
    by: 'bob',
    title: 'Why does the borrow checker reject this loop?',
    content: 'I push into a Vec while iterating over it with iter(). I know why it is wrong in theory; what is the idiom?',
    comments: [
      c('dave', 'Collect what you want to add into a second Vec, then extend after the loop.',
        c('bob', 'That is what I ended up doing. Feels clunky but it is obviously correct.',
          c('frank', 'It is the idiom. Or iterate over indices if you really must.'))),
      c('carol', 'retain / extend / drain cover most of these cases.'),
    ],
  },
  {
    community: 'rust',
    by: 'frank',
    title: 'Async traits are stable: what changed for you?',
    content: 'We dropped async-trait from three crates. Compile times went down a bit, error messages got better.',
    embed: link('https://example.com/rust-async-traits', 'Async functions in traits'),
    comments: [c('bob', 'Still need the macro where we want dyn dispatch.')],
  },
  {
    community: 'rust',
    by: 'dave',
    title: 'Smallest useful tokio program',
    content: 'For a talk: what is the smallest tokio program that still shows why you would want an async runtime?',
    comments: [],
  },
  {
    community: 'rust',
    by: 'heidi',
    title: 'Clippy lint of the week: needless_collect',
    content: 'Found eleven of these in our codebase. Most were collect() followed by len().',
    comments: [c('frank', 'count() is right there.'), c('grace', 'Guilty.')],
  },
  {
    community: 'localnews',
    by: 'carol',
    title: 'The bridge on Mill Street closes for repairs in March',
    content:
      'The council confirmed six weeks of works starting the first Monday of March. Buses divert via the ring road; ' +
      'the footbridge stays open.',
    comments: [
      c('alice', 'Six weeks means ten, in my experience.', c('carol', 'They promised weekly updates. We will see.')),
      c('heidi', 'Good that the footbridge stays open at least.'),
    ],
  },
  {
    community: 'localnews',
    by: 'erin',
    title: 'Farmers market moves to Saturdays',
    content: 'From next month the market runs Saturday mornings instead of Thursday afternoons, same square.',
    comments: [c('grace', 'Finally, I can go.')],
  },
  {
    community: 'localnews',
    by: 'grace',
    title: 'Library extends opening hours',
    content: 'Open until 8 pm on weekdays from the first of the month, and on Sunday afternoons.',
    comments: [],
  },
  {
    community: 'boardgames',
    by: 'dave',
    title: 'Game night this Friday: what should we bring?',
    content: 'Six players, four hours, mixed experience. Current shortlist: Cascadia, The Crew, Wingspan.',
    comments: [
      c('erin', 'The Crew, always The Crew.', c('dave', 'It is on the list!'), c('bob', 'Not with six players.')),
      c('carol', 'Cascadia plays fast with six.'),
    ],
  },
  {
    community: 'boardgames',
    by: 'carol',
    title: 'Rules question: can you trade on your own turn only?',
    content: 'We have argued about this for an hour. The rulebook says "during a turn". Whose turn?',
    comments: [c('frank', 'The active player must be part of every trade.')],
  },
  {
    community: 'boardgames',
    by: 'bob',
    title: 'Best two-player games for travel',
    content: 'Small box, no big table needed. Jaipur and Lost Cities are taken already.',
    embed: link('https://example.com/travel-games', 'Ten games that fit in a coat pocket'),
    comments: [c('alice', 'Hanamikoji.'), c('heidi', 'Patchwork, if the table is at least a tray.')],
  },
  {
    community: 'photography',
    by: 'erin',
    title: 'First roll of film in ten years',
    content: 'Half of it is blurry and I love every frame. Shot on a borrowed rangefinder.',
    comments: [
      c('grace', 'The blurry ones are often the best.', c('erin', 'That is what I keep telling myself.')),
    ],
  },
  {
    community: 'photography',
    by: 'frank',
    title: 'Golden hour calculator recommendations?',
    content: 'Looking for something that also shows the sun direction on a map.',
    embed: link('https://example.com/golden-hour', 'Golden hour and blue hour times'),
    comments: [c('dave', 'The one linked here does both.')],
  },
  {
    community: 'photography',
    by: 'alice',
    title: 'Photographing the garden at night',
    content: 'Long exposures with a torch for light painting. Results are spooky, in a good way.',
    comments: [],
  },
  {
    community: 'gardening',
    by: 'bob',
    title: 'Which herbs survive winter outside?',
    content: 'Rosemary and thyme made it through last year. Sage did not. Anything else worth trying?',
    comments: [
      c('alice', 'Chives come back every spring.', c('bob', 'Good one, adding them.')),
      c('carol', 'Mint, unfortunately, survives everything.'),
    ],
  },
  {
    community: 'rust',
    by: 'carol',
    title: 'Rewriting a small CLI from Python: a week in',
    content: 'Startup time went from 300 ms to 3 ms. The argument parsing took longer to write than the rest.',
    comments: [c('dave', 'clap derive saves a lot of that.'), c('heidi', 'What did you do for config files?')],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// XRPC

class XrpcError extends Error {
  constructor(what, status, body) {
    super(`${what} failed: HTTP ${status} ${body}`);
    this.status = status;
    this.body = body;
    try {
      this.error = JSON.parse(body).error;
    } catch {
      this.error = undefined;
    }
  }
}

const log = (...parts) => console.error(...parts);
const out = (line) => process.stdout.write(line + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => new Date().toISOString();

/** One XRPC call: GET with `params`, POST with a JSON `body`. Answers the parsed JSON; throws XrpcError otherwise. */
async function xrpc(base, nsid, { params, body, token } = {}) {
  const url = new URL(`/xrpc/${nsid}`, base);
  for (const [k, v] of Object.entries(params ?? {})) url.searchParams.set(k, v);
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const what = `${body !== undefined ? 'POST' : 'GET'} ${url}`;
  let res;
  try {
    res = await fetch(url, {
      method: body !== undefined ? 'POST' : 'GET',
      headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new Error(`${what} failed: ${err.cause?.message ?? err.message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new XrpcError(what, res.status, text.trim());
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`${what}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

async function accountFor(pds, name, domain) {
  const handle = `${name}.${domain}`;
  const password = `${name}-local-pass`;
  try {
    const s = await xrpc(pds, 'com.atproto.server.createAccount', {
      body: { handle, email: `${name}@example.test`, password },
    });
    log(`created account ${handle} ${s.did}`);
    return { name, handle, password, did: s.did, accessJwt: s.accessJwt };
  } catch (err) {
    // the reference PDS answers 400 InvalidRequest "Handle already taken: …" (others: HandleNotAvailable)
    const taken =
      err instanceof XrpcError &&
      (['HandleNotAvailable', 'AlreadyExists'].includes(err.error) || /already (taken|exists)/i.test(err.body));
    if (!taken) throw err;
    const s = await xrpc(pds, 'com.atproto.server.createSession', { body: { identifier: handle, password } });
    log(`account ${handle} exists; logged in (${s.did})`);
    return { name, handle, password, did: s.did, accessJwt: s.accessJwt };
  }
}

/** A POST to one of the AppView's procedures, with a service-auth token from the user's PDS for exactly that method. */
async function callAppView(ctx, user, nsid, body) {
  const { token } = await xrpc(ctx.pds, 'com.atproto.server.getServiceAuth', {
    params: { aud: ctx.appviewDid, lxm: nsid },
    token: user.accessJwt,
  });
  return xrpc(ctx.api, nsid, { body, token });
}

async function createCommunity(ctx, user, spec) {
  const body = {
    name: spec.name,
    displayName: spec.displayName,
    description: spec.description,
    visibility: 'public',
  };
  if (spec.contentRules) body.contentRules = spec.contentRules;
  try {
    const created = await callAppView(ctx, user, 'social.coves.community.create', body);
    log(`community ${spec.name} created by ${user.handle}: ${created.did} ${created.handle}`);
    return { name: spec.name, did: created.did, handle: created.handle };
  } catch (err) {
    if (!(err instanceof XrpcError) || err.status !== 409 || err.error !== 'NameTaken') throw err;
    // an earlier run made it: look it up (it may not be indexed yet)
    const handle = `c-${spec.name}.${ctx.domain}`;
    log(`community ${spec.name} exists already (${err.body}); looking ${handle} up`);
    const found = await poll(`community ${handle} in community.get`, 30, async () => {
      try {
        return await xrpc(ctx.api, 'social.coves.community.get', { params: { community: handle } });
      } catch (e) {
        if (e instanceof XrpcError && (e.status === 404 || e.status === 400)) return undefined;
        throw e;
      }
    });
    return { name: spec.name, did: found.did, handle: found.handle ?? handle };
  }
}

async function createRecord(ctx, user, collection, record) {
  return xrpc(ctx.pds, 'com.atproto.repo.createRecord', {
    token: user.accessJwt,
    body: { repo: user.did, collection, record },
  });
}

async function existingSubjects(ctx, user, collection) {
  const subjects = new Set();
  let cursor;
  do {
    const page = await xrpc(ctx.pds, 'com.atproto.repo.listRecords', {
      params: { repo: user.did, collection, limit: '100', ...(cursor ? { cursor } : {}) },
    });
    for (const r of page.records ?? []) subjects.add(r.value?.subject);
    cursor = page.records?.length ? page.cursor : undefined;
  } while (cursor);
  return subjects;
}

/** Calls `attempt` every `everyMs` until it answers something other than undefined, for at most `seconds`. */
async function poll(what, seconds, attempt, everyMs = 500) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The community's newest posts (up to 50), or undefined while the index does not know the community (404). */
async function feedOf(ctx, community) {
  try {
    const page = await xrpc(ctx.api, 'social.coves.feed.getCommunity', {
      params: { community: community.did, sort: 'new', limit: '50' },
    });
    return page.feed ?? [];
  } catch (err) {
    if (err instanceof XrpcError && err.status === 404) return undefined;
    throw err;
  }
}

/** "upvotes 2 (expected 3), …" for the fields of `want` that `stats` does not match, or '' when all do. */
function differences(stats, want) {
  return Object.entries(want)
    .filter(([k, v]) => stats?.[k] !== v)
    .map(([k, v]) => `${k} ${stats?.[k]} (expected ${v})`)
    .join(', ');
}

/** Deterministic votes: whether user `u` (index) votes on subject `i` (index), and which way. */
function voteOf(u, i, authorIndex) {
  if (u === authorIndex) return null;
  const h = (u * 7 + i * 13 + 3) % 11;
  if (h < 5) return 'up';
  if (h === 5) return 'down';
  return null;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args.pds || !args.api || !args['appview-did']) {
    console.error(USAGE);
    process.exit(args.help ? 0 : 2);
  }
  const ctx = {
    pds: String(args.pds),
    api: String(args.api),
    appviewDid: String(args['appview-did']),
    domain: String(args.domain ?? 'coves.test').replace(/^\./, ''),
  };
  const waitSeconds = Number(args['wait-seconds'] ?? 90);
  const started = Date.now();

  // 1. accounts
  const users = new Map();
  for (const name of USERS) users.set(name, await accountFor(ctx.pds, name, ctx.domain));
  const userList = [...users.values()];

  // 2a. communities, through the AppView
  const communities = new Map();
  for (const spec of COMMUNITIES) {
    const community = await createCommunity(ctx, users.get(spec.by), spec);
    communities.set(spec.name, community);
    out(`community ${community.name} ${community.did} ${community.handle}`);
  }
  for (const u of userList) out(`user ${u.handle} ${u.did} ${u.password}`);

  // 3a. subscriptions: the creator and about half of the others, in the users' own repos
  const collection = 'social.coves.community.subscription';
  const expectedSubscribers = new Map();
  let newSubscriptions = 0;
  for (const [ui, user] of userList.entries()) {
    const have = await existingSubjects(ctx, user, collection);
    for (const [ci, spec] of COMMUNITIES.entries()) {
      const community = communities.get(spec.name);
      if (spec.by !== user.name && (ui + ci) % 2 !== 0) continue;
      expectedSubscribers.set(community.did, (expectedSubscribers.get(community.did) ?? 0) + 1);
      if (have.has(community.did)) continue;
      await createRecord(ctx, user, collection, {
        $type: collection,
        subject: community.did,
        contentVisibility: 3,
        createdAt: now(),
      });
      newSubscriptions++;
    }
  }
  const subscriptions = [...expectedSubscribers.values()].reduce((a, b) => a + b, 0);
  log(`subscriptions: ${subscriptions} (${newSubscriptions} written now, ${subscriptions - newSubscriptions} there already)`);

  // 2b. posts, through the AppView
  const posts = [];
  let lastPostAt = 0;
  for (const spec of POSTS) {
    const community = communities.get(spec.community);
    const body = { community: community.did, title: spec.title, content: spec.content, langs: ['en'] };
    if (spec.embed) body.embed = spec.embed;
    const ref = await callAppView(ctx, users.get(spec.by), 'social.coves.community.post.create', body);
    lastPostAt = Date.now();
    posts.push({ spec, community, ref, upvotes: 0, downvotes: 0, comments: 0 });
    out(`post ${ref.uri}`);
    log(`post by ${spec.by} in ${spec.community}: ${ref.uri}`);
  }
  // how long the last post takes to reach its community's feed (PDS → Jetstream feed → ingestor → Kafka → indexer)
  const last = posts[posts.length - 1];
  await poll(`${last.ref.uri} in the feed of ${last.community.name}`, waitSeconds, async () => {
    const feed = await feedOf(ctx, last.community);
    return feed?.some((item) => item.post?.uri === last.ref.uri) ? true : undefined;
  }, 50);
  log(`the last post was in its community's feed ${Date.now() - lastPostAt} ms after its post.create answered`);

  // 3b. comments (threaded), in the commenters' repos
  const comments = [];
  const writeComments = async (post, parentRef, list) => {
    for (const item of list) {
      const ref = await createRecord(ctx, users.get(item.by), 'social.coves.community.comment', {
        $type: 'social.coves.community.comment',
        reply: {
          root: { uri: post.ref.uri, cid: post.ref.cid },
          parent: { uri: parentRef.uri, cid: parentRef.cid },
        },
        content: item.content,
        langs: ['en'],
        createdAt: now(),
      });
      post.comments++;
      comments.push({ by: item.by, ref, post, upvotes: 0, downvotes: 0, replies: item.replies.length });
      await writeComments(post, ref, item.replies);
    }
  };
  for (const post of posts) await writeComments(post, post.ref, post.spec.comments);
  log(`comments written (${comments.length})`);

  // 3c. votes on posts and comments, at most one per user and subject
  let votes = 0;
  const vote = async (user, subject, direction) => {
    await createRecord(ctx, user, 'social.coves.feed.vote', {
      $type: 'social.coves.feed.vote',
      subject: { uri: subject.uri, cid: subject.cid },
      direction,
      createdAt: now(),
    });
    votes++;
  };
  for (const [pi, post] of posts.entries()) {
    for (const [ui, user] of userList.entries()) {
      const direction = voteOf(ui, pi, USERS.indexOf(post.spec.by));
      if (!direction) continue;
      await vote(user, post.ref, direction);
      if (direction === 'up') post.upvotes++;
      else post.downvotes++;
    }
  }
  for (const [ci, comment] of comments.entries()) {
    for (const [ui, user] of userList.entries()) {
      const direction = voteOf(ui, ci + 100, USERS.indexOf(comment.by));
      if (!direction || (ui + ci) % 2 !== 0) continue;
      await vote(user, comment.ref, direction);
      if (direction === 'up') comment.upvotes++;
      else comment.downvotes++;
    }
  }
  log(`votes written (${votes})`);

  // 4. wait until the API serves every post and comment with the counts written
  log(`waiting (at most ${waitSeconds} s) for the API to serve the ${posts.length} posts and ${comments.length} comments with their counts`);
  const writtenAt = Date.now();
  let mismatches = [];
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    mismatches = [];
    for (const community of communities.values()) {
      const feed = await feedOf(ctx, community);
      if (!feed) {
        mismatches.push(`${community.name}: no feed yet (community.get does not know it)`);
        continue;
      }
      const seen = new Map(feed.map((item) => [item.post?.uri, item.post]));
      for (const p of posts.filter((p) => p.community === community)) {
        const view = seen.get(p.ref.uri);
        if (!view) mismatches.push(`${p.ref.uri}: not in the feed of ${community.name}`);
        else {
          const want = { upvotes: p.upvotes, downvotes: p.downvotes, commentCount: p.comments };
          const differs = differences(view.stats, want);
          if (differs) mismatches.push(`post ${p.ref.uri}: ${differs}`);
        }
      }
    }
    if (mismatches.length === 0) {
      for (const post of posts.filter((p) => p.comments > 0)) {
        const thread = await xrpc(ctx.api, 'social.coves.community.comment.getComments', {
          params: { post: post.ref.uri, sort: 'new', depth: '10', limit: '100' },
        });
        const seen = new Map();
        const walk = (items) => {
          for (const t of items ?? []) {
            seen.set(t.comment?.uri, t.comment);
            walk(t.replies);
          }
        };
        walk(thread.comments);
        for (const comment of comments.filter((c) => c.post === post)) {
          const view = seen.get(comment.ref.uri);
          if (!view) mismatches.push(`comment ${comment.ref.uri}: not in the thread of ${post.ref.uri}`);
          else {
            const want = { upvotes: comment.upvotes, downvotes: comment.downvotes, replyCount: comment.replies };
            const differs = differences(view.stats, want);
            if (differs) mismatches.push(`comment ${comment.ref.uri}: ${differs}`);
          }
        }
      }
    }
    if (mismatches.length === 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `the API did not serve the seeded posts and comments with their counts within ${waitSeconds} s; ` +
          `${mismatches.length} differences:\n  ${mismatches.join('\n  ')}`,
      );
    }
    await sleep(250);
  }
  log(
    `all ${posts.length} posts and ${comments.length} comments served with their counts (${votes} votes) ` +
      `${Date.now() - writtenAt} ms after the last write; seeding took ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  if (args['aggregator-domain'] && args['aggregator-did-file']) {
    await seedAggregator(ctx, users, communities, {
      domain: String(args['aggregator-domain']),
      didFile: String(args['aggregator-did-file']),
      waitSeconds,
    });
  }

  // the communities' subscriber counts come through the same path; report (not fail on) a difference
  for (const community of communities.values()) {
    const view = await xrpc(ctx.api, 'social.coves.community.get', { params: { community: community.did } });
    const subscribers = view.subscriberCount ?? view.stats?.subscriberCount;
    const expected = expectedSubscribers.get(community.did) ?? 0;
    if (subscribers !== expected) {
      log(`note: ${community.handle} shows ${subscribers} subscribers, ${expected} were written`);
    }
  }
}

/** Step 5: a bot that posts links into the first community, with an API key, as aggregators do. */
async function seedAggregator(ctx, users, communities, { domain, didFile, waitSeconds }) {
  const bot = await accountFor(ctx.pds, 'newsbot', ctx.domain);
  const service = 'social.coves.aggregator.service';
  await xrpc(ctx.pds, 'com.atproto.repo.putRecord', {
    token: bot.accessJwt,
    body: {
      repo: bot.did,
      collection: service,
      rkey: 'self',
      record: {
        $type: service,
        did: bot.did,
        displayName: 'Local news bot',
        description: 'Posts links from the sample news sources of the local stack',
        sourceUrl: 'https://example.test/newsbot',
        createdAt: now(),
      },
    },
  });
  await writeFile(didFile, `${bot.did}\n`);
  try {
    await xrpc(ctx.api, 'social.coves.aggregator.register', { body: { did: bot.did, domain } });
    log(`aggregator ${bot.handle} registered, proved at https://${domain}/.well-known/atproto-did`);
  } catch (err) {
    if (!(err instanceof XrpcError) || err.error !== 'AlreadyRegistered') throw err;
  }
  await poll(`${bot.handle}'s service record in aggregator.getServices`, waitSeconds, async () => {
    const answer = await xrpc(ctx.api, 'social.coves.aggregator.getServices', { params: { dids: bot.did } });
    return answer.views?.length ? true : undefined;
  });
  const spec = COMMUNITIES[0];
  const community = communities.get(spec.name);
  try {
    await callAppView(ctx, users.get(spec.by), 'social.coves.aggregator.enable', {
      community: community.did,
      aggregatorDid: bot.did,
      config: { sources: ['https://news.example/rss'] },
    });
    log(`aggregator ${bot.handle} enabled in ${community.handle} by ${spec.by}`);
  } catch (err) {
    if (!(err instanceof XrpcError) || err.error !== 'AlreadyEnabled') throw err;
  }
  const { key } = await callAppView(ctx, bot, 'social.coves.aggregator.createApiKey', {});
  const refs = [];
  for (const [title, uri] of [
    ['Today in the garden: frost warnings for the weekend', 'https://news.example/frost'],
    ['Seed swap season opens next month', 'https://news.example/seed-swap'],
  ]) {
    const body = { community: community.did, title, embed: link(uri, title), langs: ['en'] };
    refs.push(await xrpc(ctx.api, 'social.coves.community.post.create', { body, token: key }));
  }
  const last = refs[refs.length - 1];
  await poll(`${bot.handle}'s posts in the feed of ${community.name}`, waitSeconds, async () => {
    const feed = await feedOf(ctx, community);
    const view = feed?.find((item) => item.post?.uri === last.uri);
    return view?.post?.author?.isAggregator === true ? true : undefined;
  });
  for (const ref of refs) out(`post ${ref.uri}`);
  out(`aggregator ${bot.handle} ${bot.did} ${community.handle}`);
  log(`aggregator ${bot.handle} posted ${refs.length} links into ${community.handle} with its API key`);
}

main().catch((err) => {
  console.error(`seeding failed: ${err.message}`);
  process.exit(1);
});
