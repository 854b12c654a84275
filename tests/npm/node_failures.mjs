// Failures inside a running cafmcp-node, seen from a Streamable HTTP client
// on real sockets (the admin endpoint kills the parts):
//  * the http listener is killed: transport_sup restarts it on the same port
//    and the open session carries on;
//  * the sse_event_store service is killed while a polled request waits for
//    its result: config_sup restarts it, and GET + Last-Event-ID still
//    replays and delivers the result (the log outlives the service).
//
//   node node_failures.mjs /path/to/cafmcp-node
import assert from 'node:assert/strict';
import { startNode, urlOf } from './lib/cafmcp_node.mjs';

const binary = process.argv[2];
const node = await startNode(binary, [
  '--profile', 'conformance', '--http', '127.0.0.1:0', '--admin', '127.0.0.1:0',
]);
const url = urlOf(node.listeners.http);
const admin = urlOf(node.listeners.admin);
const token = /token=(\S+)/.exec(node.stderr())[1];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function eventually(what, f, limitMs = 15000) {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch {}
    if (Date.now() > until) throw new Error(`not within ${limitMs} ms: ${what}`);
    await sleep(50);
  }
}

async function kill(name) {
  const res = await fetch(`${admin}/kill?name=${name}&reason=kill`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200, `kill ${name}: ${await res.text()}`);
}

let session;
function post(body, extra = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(session ? { 'Mcp-Session-Id': session, 'MCP-Protocol-Version': '2025-11-25' } : {}),
      ...extra,
    },
    body: JSON.stringify(body),
  });
}

// The SSE events of a response body, until it ends.
async function readEvents(res) {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const ev = { id: undefined, data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) ev.id = line.slice(3).trim();
        else if (line.startsWith('data:')) ev.data += line.slice(5).trim();
      }
      return ev;
    })
    .filter((ev) => ev.id !== undefined || ev.data !== '');
}

const passed = [];
let ok = false;
try {
  const init = await post({
    jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
  assert.equal(init.status, 200);
  session = init.headers.get('mcp-session-id');
  assert.ok(session);
  await init.text();
  assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);

  // 1. The listener dies and comes back on its port; the session lives on.
  await kill('http');
  const after = await eventually('the restarted listener answers', async () => {
    const res = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    return res.status === 200 ? res.json() : false;
  });
  assert.ok(after.result.tools.some((t) => t.name === 'test_reconnection'));
  passed.push('a killed http listener is restarted on its port and the session carries on');

  // 2. A polled call: priming event only, the connection is let go.
  const call = await post({
    jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'test_reconnection', arguments: {} },
  });
  assert.equal(call.status, 200);
  assert.match(call.headers.get('content-type'), /text\/event-stream/);
  const first = await readEvents(call);
  assert.equal(first.length, 1);
  assert.equal(first[0].data, '');
  const primingId = first[0].id;
  // The event store dies while the call runs; config_sup restarts it.
  await kill('sse_event_store');
  const resumed = await eventually('the resumed stream delivers the result', async () => {
    const res = await fetch(url, {
      headers: {
        Accept: 'text/event-stream', 'Mcp-Session-Id': session,
        'MCP-Protocol-Version': '2025-11-25', 'Last-Event-ID': primingId,
      },
    });
    if (res.status !== 200) return false; // 400 only while the store restarts
    return readEvents(res);
  });
  const result = resumed.map((ev) => JSON.parse(ev.data)).find((m) => m.id === 3);
  assert.ok(result, `no result among ${JSON.stringify(resumed)}`);
  assert.deepEqual(result.result.content, [
    { type: 'text', text: 'Reconnection test completed successfully' },
  ]);
  passed.push('resumption after a dropped stream works across an sse_event_store restart');
  ok = true;
} catch (e) {
  console.error(`FAIL: ${e?.stack ?? e}\n${node.stderr()}`);
} finally {
  const code = await node.stop();
  if (code !== 0) {
    console.error(`FAIL: cafmcp-node exited ${code} on SIGTERM:\n${node.stderr()}`);
    ok = false;
  }
}
for (const p of passed) console.log(`ok: ${p}`);
console.log(`${passed.length} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
