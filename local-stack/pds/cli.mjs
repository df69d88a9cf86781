// Small helpers shared by the entry points: --key=value arguments, the ready line, loopback listening, shutdown.
import http from 'node:http';
import net from 'node:net';

/** `--a=1 --flag` → { a: '1', flag: true } */
export function parseArgs(argv) {
  const args = {};
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new Error(`unexpected argument: ${arg}`);
    args[m[1]] = m[2] === undefined ? true : m[2];
  }
  return args;
}

export function intArg(args, name, fallback) {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number: ${raw}`);
  return n;
}

/** The line parents wait for (see social.coves.localstack.ReadyLine). */
export function announceReady(value) {
  process.stdout.write(`LOCAL-STACK READY ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

export const LOOPBACK = '127.0.0.1';

/** A free port on the loopback interface (for servers that must know their port before they listen). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Makes `app.listen(port)` (express, as the PDS and PLC servers call it) bind the loopback interface only. The
 * servers have no host option; wrapping their app's own listen keeps everything they attach to the returned
 * server (the PDS's websocket upgrade handler) working.
 */
export function listenOnLoopback(app) {
  const listen = app.listen;
  app.listen = (port, ...rest) => listen.call(app, port, LOOPBACK, ...rest);
}

/**
 * Java's HttpClient (HTTP/2 by default) asks a plain-http server to upgrade to h2c on its first request to it
 * (`Upgrade: h2c`, any method). Node hands every request carrying an Upgrade header to the server's 'upgrade'
 * listeners once it has one, and the PDS's (for its websockets) drops the connection for anything else. This keeps
 * websocket upgrades going to those listeners and serves every other upgrade request as plain HTTP/1.1 with
 * `handler` (no upgrade, connection closed after the response), as a server without upgrade listeners would.
 */
export function serveOtherUpgradesAsHttp(server, handler) {
  const websocketListeners = server.listeners('upgrade');
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req, socket, head) => {
    if (String(req.headers.upgrade).toLowerCase() === 'websocket') {
      for (const listener of websocketListeners) listener.call(server, req, socket, head);
      return;
    }
    // the upgrade request's own stream is already ended (its body was not parsed): serve a copy fed with the body
    const plain = new http.IncomingMessage(socket);
    Object.assign(plain, {
      method: req.method,
      url: req.url,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      httpVersion: req.httpVersion,
      httpVersionMajor: req.httpVersionMajor,
      httpVersionMinor: req.httpVersionMinor,
    });
    const res = new http.ServerResponse(plain);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => socket.end());
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding']) {
      res.writeHead(411, { 'content-type': 'text/plain' }).end('a content-length is required with an Upgrade header\n');
      return;
    }
    let remaining = Number(length ?? 0);
    const feed = (chunk) => {
      const part = chunk.subarray(0, remaining);
      remaining -= part.length;
      if (part.length > 0) plain.push(part);
      if (remaining <= 0) {
        socket.off('data', feed);
        plain.complete = true;
        plain.push(null);
      }
    };
    feed(head);
    if (remaining > 0) socket.on('data', feed);
    handler(plain, res);
  });
}

/**
 * Runs `stop` once on SIGTERM/SIGINT and, with --exit-with-parent, when stdin closes (the parent died), then exits.
 */
export function onShutdown(args, stop) {
  let stopping = false;
  const shutdown = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`stopping (${why})`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await stop();
    } catch (err) {
      console.error('error while stopping:', err);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (args['exit-with-parent']) {
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.on('close', () => shutdown('stdin closed'));
    process.stdin.on('error', () => shutdown('stdin error'));
    process.stdin.resume();
  }
  return shutdown;
}
