// Prints the frames of a Jetstream /subscribe URL, one per line (a manual check of the feed).
//   node tail.mjs 'ws://localhost:6009/subscribe?wantedCollections=social.coves.*&cursor=0'
import WebSocket from 'ws';

const url = process.argv[2] ?? 'ws://localhost:6009/subscribe';
const ws = new WebSocket(url);
ws.on('open', () => console.error(`connected to ${url}`));
ws.on('message', (data) => console.log(data.toString()));
ws.on('unexpected-response', (req, res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', () => {
    console.error(`HTTP ${res.statusCode}: ${body.trim()}`);
    process.exit(1);
  });
});
ws.on('close', (code, reason) => {
  console.error(`closed: ${code} ${reason}`);
  process.exit(0);
});
ws.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
