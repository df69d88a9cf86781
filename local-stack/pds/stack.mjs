// Dev/test only: a real atproto PDS, its PLC directory and a Jetstream v1 feed of the PDS's commits, in one process.
//
//   node stack.mjs --plc-port=2582 --pds-port=2583 --jetstream-port=6009 --data-dir=DIR
//                  [--handle-domains=.coves.test[,.other.test]] [--admin-password=...] [--exit-with-parent]
//                  [--loopback-hosts=appview.coves-e2e.net[,other.coves-e2e.net]]   (test only, below)
//
// Port 0 picks a free port. Everything listens on 127.0.0.1 only and is announced as http://localhost:PORT (the
// PDS's identity resolvers refuse IP-literal hosts). When all three serve it prints one line:
//   LOCAL-STACK READY {"plc":"http://localhost:P","pds":"http://localhost:Q","jetstream":"ws://localhost:R/subscribe",
//                      "adminPassword":"...","handleDomains":[".coves.test"]}
//
// DIR keeps the PDS's SQLite databases and blobs (pds/), the PLC directory's operations (plc-ops.jsonl: the
// directory itself is in memory, the log is replayed on start), the generated secrets (secrets.json) and the feed's
// events (jetstream/). Restarting with the same DIR keeps accounts and replayable events, as long as the PDS port
// stays the same (DID documents name the PDS by its URL).
//
// Test only: --loopback-hosts=a,b makes those exact names resolve to 127.0.0.1 for every outgoing connection of this
// process (loopback-hosts.mjs), before anything starts, so the PDS can fetch e.g. an OAuth client's metadata document
// from https://appview.coves-e2e.net:PORT/... served by a test on this machine. Trust that server's self-signed
// certificate with the environment variable NODE_EXTRA_CA_CERTS=cert.pem (read by Node at start). The PDS runs in dev
// mode, so its SSRF protection (which would refuse loopback addresses) is off.
import './polyfills.mjs';

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Secp256k1Keypair } from '@atproto/crypto';
import { PDS, envToCfg, envToSecrets, readEnv } from '@atproto/pds';
import { Database as PlcDatabase, PlcServer } from '@did-plc/server';

import {
  announceReady,
  freePort,
  intArg,
  listenOnLoopback,
  onShutdown,
  parseArgs,
  serveOtherUpgradesAsHttp,
} from './cli.mjs';
import { startJetstreamFeed } from './jetstream-feed.mjs';
import { resolveToLoopback } from './loopback-hosts.mjs';

const USAGE =
  'usage: node stack.mjs --plc-port=2582 --pds-port=2583 --jetstream-port=6009 --data-dir=DIR ' +
  '[--handle-domains=.coves.test] [--admin-password=...] [--exit-with-parent]\n' +
  '  [--loopback-hosts=appview.coves-e2e.net[,...]]  TEST ONLY: these exact names resolve to 127.0.0.1 for every\n' +
  '      outgoing connection of this process (e.g. an OAuth client metadata host served by a test); trust its\n' +
  '      certificate with NODE_EXTRA_CA_CERTS=cert.pem';

/** The in-memory PLC directory; its accepted operations are logged to `opLog` and replayed from it on start. */
async function startPlc(port, opLog) {
  const db = PlcDatabase.mock();
  let replayed = 0;
  if (fs.existsSync(opLog)) {
    for (const line of fs.readFileSync(opLog, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const { did, op } = JSON.parse(line);
      await db.validateAndAddOp(did, op);
      replayed++;
    }
  }
  const validateAndAddOp = db.validateAndAddOp.bind(db);
  db.validateAndAddOp = async (did, op) => {
    await validateAndAddOp(did, op);
    fs.appendFileSync(opLog, JSON.stringify({ did, op }) + '\n');
  };
  const plc = PlcServer.create({ db, port });
  listenOnLoopback(plc.app);
  const server = await plc.start();
  return { plc, url: `http://localhost:${server.address().port}`, replayed };
}

/** Secrets generated on the first start and kept in DIR, so a restarted PDS can still sign for its DIDs. */
async function loadSecrets(file, adminPassword) {
  let secrets = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
  if (!secrets) {
    const rotationKey = await Secp256k1Keypair.create({ exportable: true });
    secrets = {
      jwtSecret: crypto.randomBytes(32).toString('hex'),
      plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString('hex'),
      adminPassword: crypto.randomBytes(12).toString('hex'),
    };
  }
  if (adminPassword) secrets.adminPassword = adminPassword;
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

async function startPds({ port, dataDir, plcUrl, handleDomains, secrets }) {
  const pdsDir = path.join(dataDir, 'pds');
  for (const d of [pdsDir, path.join(pdsDir, 'actors'), path.join(pdsDir, 'blobs'), path.join(pdsDir, 'blobs-tmp')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const env = {
    ...readEnv(), // PDS_* variables still apply (e.g. PDS_RATE_LIMITS_ENABLED=true); the settings below win
    devMode: true,
    hostname: 'localhost',
    port,
    dataDirectory: pdsDir,
    blobstoreDiskLocation: path.join(pdsDir, 'blobs'),
    blobstoreDiskTmpLocation: path.join(pdsDir, 'blobs-tmp'),
    didPlcUrl: plcUrl,
    serviceHandleDomains: handleDomains,
    inviteRequired: false,
    crawlers: [],
    jwtSecret: secrets.jwtSecret,
    adminPassword: secrets.adminPassword,
    plcRotationKeyK256PrivateKeyHex: secrets.plcRotationKeyK256PrivateKeyHex,
  };
  const pds = await PDS.create(envToCfg(env), envToSecrets(env));
  listenOnLoopback(pds.app);
  const server = await pds.start();
  serveOtherUpgradesAsHttp(server, pds.app);
  return { pds, url: pds.ctx.cfg.service.publicUrl };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args['data-dir']) {
    console.error(USAGE);
    process.exit(args.help ? 0 : 2);
  }
  const dataDir = path.resolve(args['data-dir']);
  fs.mkdirSync(dataDir, { recursive: true });
  const handleDomains = String(args['handle-domains'] ?? '.coves.test')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => (d.startsWith('.') ? d : `.${d}`));
  const loopbackHosts = String(args['loopback-hosts'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (loopbackHosts.length > 0) {
    resolveToLoopback(loopbackHosts); // before any server or client starts
    console.log(`test only: ${loopbackHosts.join(', ')} resolve to 127.0.0.1 in this process`);
  }
  if (process.env.NODE_EXTRA_CA_CERTS) {
    console.log(`extra trusted certificates from ${process.env.NODE_EXTRA_CA_CERTS}`);
  }

  const started = [];
  const shutdown = onShutdown(args, async () => {
    for (const s of started.reverse()) await s.close();
  });

  const plc = await startPlc(intArg(args, 'plc-port', 2582), path.join(dataDir, 'plc-ops.jsonl'));
  started.push({ close: () => plc.plc.destroy() });
  console.log(`plc directory at ${plc.url} (in memory; ${plc.replayed} operations replayed)`);

  const secrets = await loadSecrets(path.join(dataDir, 'secrets.json'), args['admin-password']);
  const pdsPort = intArg(args, 'pds-port', 2583) || (await freePort());
  const pds = await startPds({ port: pdsPort, dataDir, plcUrl: plc.url, handleDomains, secrets });
  started.push({ close: () => pds.pds.destroy() });
  console.log(`pds at ${pds.url} (handle domains ${handleDomains.join(', ')})`);

  const feed = await startJetstreamFeed({
    pdsUrl: pds.url,
    plcUrl: plc.url,
    port: intArg(args, 'jetstream-port', 6009),
    dataDir,
  });
  started.push({ close: () => feed.close() });
  console.log(`jetstream feed at ${feed.url} (${feed.log.length} events kept)`);

  announceReady({
    plc: plc.url,
    pds: pds.url,
    jetstream: feed.url,
    adminPassword: secrets.adminPassword,
    handleDomains,
  });
  return shutdown;
}

main().catch((err) => {
  console.error('local pds stack failed to start:', err);
  process.exit(1);
});
