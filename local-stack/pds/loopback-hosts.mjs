// Test only: makes a few exact host names resolve to 127.0.0.1 for every outgoing connection of this process.
//
// Node resolves names for net/tls connections (http, https, undici and so the built-in fetch, websockets) with
// dns.lookup, read from the dns module at each connection; patching it there (and re-syncing the ESM named
// exports, for modules that did `import { lookup } from 'node:dns'`) reaches them all. Every other name is handed to
// the real resolver untouched. The TLS server name stays the requested host, so a certificate for that name is
// still checked (trust a test certificate with NODE_EXTRA_CA_CERTS).
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import util from 'node:util';

const LOOPBACK_V4 = '127.0.0.1';

function normalise(hostname) {
  return String(hostname).toLowerCase().replace(/\.$/, '');
}

function familyOf(options) {
  if (typeof options === 'number') return options;
  const family = options?.family;
  return family === 'IPv6' ? 6 : family === 'IPv4' ? 4 : Number(family ?? 0);
}

function noIpv6(hostname) {
  const err = new Error(`getaddrinfo ENOTFOUND ${hostname} (mapped to ${LOOPBACK_V4} only)`);
  err.code = 'ENOTFOUND';
  err.errno = -3008; // libuv's UV_EAI_NONAME; only informative
  err.syscall = 'getaddrinfo';
  err.hostname = hostname;
  return err;
}

/** Makes `hostnames` (exact names, case-insensitive) resolve to 127.0.0.1. Returns the set of mapped names. */
export function resolveToLoopback(hostnames) {
  const names = new Set(hostnames.map(normalise).filter(Boolean));
  if (names.size === 0) return names;

  const lookup = dns.lookup;
  const lookupAsync = dns.promises.lookup;

  function mappedLookup(hostname, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    if (!names.has(normalise(hostname))) {
      return lookup.call(this, hostname, options, callback);
    }
    const all = typeof options === 'object' && options?.all === true;
    process.nextTick(() => {
      if (familyOf(options) === 6) callback(noIpv6(hostname));
      else if (all) callback(null, [{ address: LOOPBACK_V4, family: 4 }]);
      else callback(null, LOOPBACK_V4, 4);
    });
    return {};
  }

  async function mappedLookupAsync(hostname, options) {
    if (!names.has(normalise(hostname))) return lookupAsync.call(this, hostname, options);
    if (familyOf(options) === 6) throw noIpv6(hostname);
    const answer = { address: LOOPBACK_V4, family: 4 };
    return typeof options === 'object' && options?.all === true ? [answer] : answer;
  }

  Object.defineProperty(mappedLookup, util.promisify.custom, { value: mappedLookupAsync });
  dns.lookup = mappedLookup;
  dns.promises.lookup = mappedLookupAsync;
  syncBuiltinESMExports();
  return names;
}
