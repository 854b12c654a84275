// One full MCP session of the official TypeScript SDK Client against
// `cafmcp-node --profile conformance` over one transport, asserting on the
// actual payloads: initialize, tools (list, call), resources (list, read,
// templates, subscribe, unsubscribe), prompts (list, get), completion,
// logging (setLevel + the notifications of a call), a sampling and an
// elicitation round trip answered by this client's handlers, ping, close.
//
//   node sdk_session.mjs stdio|http|sse|ws /path/to/cafmcp-node
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { startNode, urlOf } from './lib/cafmcp_node.mjs';

// Node 20 has no WebSocket global; the SDK's client transport expects one.
globalThis.WebSocket ??= WebSocket;

const [kind, binary] = process.argv.slice(2);
if (!['stdio', 'http', 'sse', 'ws'].includes(kind) || !binary) {
  console.error('usage: node sdk_session.mjs stdio|http|sse|ws CAFMCP_NODE');
  process.exit(2);
}

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const text = (result) => result.content.filter((c) => c.type === 'text').map((c) => c.text);

async function transportFor() {
  if (kind === 'stdio') {
    const transport = new StdioClientTransport({
      command: binary,
      args: ['--stdio', '--profile', 'conformance'],
      stderr: 'pipe',
    });
    return { transport, node: null };
  }
  // Streamable HTTP is on by default: on a free port too, never on 8080.
  const flag = { http: '--http', sse: '--sse', ws: '--ws' }[kind];
  const args = ['--profile', 'conformance', '--http', '127.0.0.1:0', '--admin', '127.0.0.1:0'];
  if (flag !== '--http') args.push(flag, '127.0.0.1:0');
  const node = await startNode(binary, args);
  const listener = node.listeners[kind];
  const transport =
    kind === 'http'
      ? new StreamableHTTPClientTransport(new URL(urlOf(listener)))
      : kind === 'sse'
        ? new SSEClientTransport(new URL(urlOf(listener)))
        : new WebSocketClientTransport(new URL(urlOf(listener, 'ws')));
  return { transport, node };
}

const steps = [];
const wire = [];
async function step(name, fn) {
  const started = Date.now();
  await fn();
  steps.push(`${name} (${Date.now() - started} ms)`);
}

const { transport, node } = await transportFor();
const client = new Client(
  { name: 'cafmcp-sdk-test', version: '1.0.0' },
  { capabilities: { sampling: {}, elicitation: {} } },
);
const samplingRequests = [];
client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
  samplingRequests.push(request.params);
  return {
    role: 'assistant',
    content: { type: 'text', text: 'the SDK handler answers' },
    model: 'test-model',
    stopReason: 'endTurn',
  };
});
const elicitations = [];
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  elicitations.push(request.params);
  return { action: 'accept', content: { username: 'ada', email: 'ada@example.com' } };
});
const logs = [];
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));

let ok = false;
try {
  await step('initialize', async () => {
    await client.connect(transport);
    // Every message from the server, in arrival order, before the SDK sees it.
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      wire.push(message);
      deliver(message, extra);
    };
    const info = client.getServerVersion();
    assert.equal(info.name, 'cafmcp-conformance');
    const caps = client.getServerCapabilities();
    for (const c of ['tools', 'resources', 'prompts', 'logging', 'completions'])
      assert.ok(caps[c], `capability ${c} missing`);
    assert.equal(caps.resources.subscribe, true);
  });

  await step('ping', async () => assert.deepEqual(await client.ping(), {}));

  await step('tools/list', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of ['test_simple_text', 'test_image_content', 'test_sampling', 'test_elicitation'])
      assert.ok(names.includes(n), `tool ${n} missing from ${names}`);
    for (const t of tools) assert.equal(t.inputSchema.type, 'object', t.name);
  });

  await step('tools/call text and image', async () => {
    const simple = await client.callTool({ name: 'test_simple_text' });
    assert.deepEqual(simple.content, [
      { type: 'text', text: 'This is a simple text response for testing.' },
    ]);
    const image = await client.callTool({ name: 'test_image_content', arguments: {} });
    assert.deepEqual(image.content, [{ type: 'image', data: PNG, mimeType: 'image/png' }]);
    const error = await client.callTool({ name: 'test_error_handling', arguments: {} });
    assert.equal(error.isError, true);
    assert.deepEqual(text(error), ['This tool intentionally returns an error for testing']);
  });

  await step('logging/setLevel and notifications/message', async () => {
    assert.deepEqual(await client.setLoggingLevel('info'), {});
    const result = await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
    assert.ok(text(result).length > 0);
    // The notifications precede the result on every transport.
    const messages = logs.map((l) => l.data);
    assert.deepEqual(messages.slice(0, 3), [
      'Tool execution started',
      'Tool processing data',
      'Tool execution completed',
    ]);
    assert.ok(logs.every((l) => l.level === 'info'));
  });

  await step('progress', async () => {
    const seen = [];
    const from = wire.length;
    const result = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    assert.deepEqual(text(result), ['Progress test completed']);
    // On the wire: all three notifications, then the result. (The SDK hands
    // notifications to a microtask but responses over synchronously, so over
    // ws and stdio the last one can lose the race to the response when both
    // arrive in one read: its handler then drops it. Hence the wire check.)
    const order = wire.slice(from).map((m) =>
      m.method === 'notifications/progress' ? m.params.progress : m.result ? 'result' : m.method,
    );
    assert.deepEqual(order.filter((x) => x !== 'notifications/message'), [0, 50, 100, 'result']);
    assert.deepEqual(seen, [0, 50, 100].slice(0, seen.length));
    assert.ok(seen.length >= 2, `progress seen by the SDK: ${seen}`);
  });

  await step('sampling round trip', async () => {
    const result = await client.callTool({
      name: 'test_sampling',
      arguments: { prompt: 'What is 2+2?' },
    });
    assert.deepEqual(text(result), ['LLM response: the SDK handler answers']);
    assert.equal(samplingRequests.length, 1);
    assert.equal(samplingRequests[0].maxTokens, 100);
    assert.deepEqual(samplingRequests[0].messages, [
      { role: 'user', content: { type: 'text', text: 'What is 2+2?' } },
    ]);
  });

  await step('elicitation round trip', async () => {
    const result = await client.callTool({
      name: 'test_elicitation',
      arguments: { message: 'Who are you?' },
    });
    assert.equal(elicitations.length, 1);
    assert.equal(elicitations[0].message, 'Who are you?');
    assert.deepEqual(Object.keys(elicitations[0].requestedSchema.properties).sort(), [
      'email',
      'username',
    ]);
    assert.deepEqual(text(result), [
      'User response: action=accept, content={"email":"ada@example.com","username":"ada"}',
    ]);
  });

  await step('resources', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    for (const u of ['test://static-text', 'test://static-binary', 'test://watched-resource'])
      assert.ok(uris.includes(u), `${u} missing from ${uris}`);
    const textRead = await client.readResource({ uri: 'test://static-text' });
    assert.deepEqual(textRead.contents, [
      {
        uri: 'test://static-text',
        mimeType: 'text/plain',
        text: 'This is the content of the static text resource.',
      },
    ]);
    const blob = await client.readResource({ uri: 'test://static-binary' });
    assert.equal(blob.contents[0].blob, PNG);
    assert.equal(blob.contents[0].mimeType, 'image/png');
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'test://template/{id}/data'));
    const templated = await client.readResource({ uri: 'test://template/123/data' });
    assert.deepEqual(JSON.parse(templated.contents[0].text), {
      id: '123',
      templateTest: true,
      data: 'Data for ID: 123',
    });
    assert.deepEqual(await client.subscribeResource({ uri: 'test://watched-resource' }), {});
    assert.deepEqual(await client.unsubscribeResource({ uri: 'test://watched-resource' }), {});
  });

  await step('prompts', async () => {
    const { prompts } = await client.listPrompts();
    const names = prompts.map((p) => p.name);
    assert.ok(names.includes('test_simple_prompt') && names.includes('test_prompt_with_arguments'));
    const simple = await client.getPrompt({ name: 'test_simple_prompt' });
    assert.deepEqual(simple.messages, [
      { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
    ]);
    const withArgs = await client.getPrompt({
      name: 'test_prompt_with_arguments',
      arguments: { arg1: 'one', arg2: 'two' },
    });
    assert.equal(withArgs.messages[0].content.text, "Prompt with arguments: arg1='one', arg2='two'");
  });

  await step('completion/complete', async () => {
    const { completion } = await client.complete({
      ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
      argument: { name: 'arg1', value: 'par' },
    });
    assert.deepEqual(completion.values, ['paris', 'park', 'party']);
  });

  await step('close', async () => client.close());
  ok = true;
} catch (e) {
  console.error(`FAIL over ${kind}: ${e?.stack ?? e}`);
  if (node) console.error(node.stderr());
} finally {
  if (!ok) await client.close().catch(() => {});
  if (node) {
    const code = await node.stop();
    if (code !== 0) {
      console.error(`FAIL: cafmcp-node exited ${code} on SIGTERM:\n${node.stderr()}`);
      ok = false;
    }
  }
}
for (const s of steps) console.log(`ok ${kind}: ${s}`);
console.log(ok ? `${steps.length} passed, 0 failed` : `${steps.length} passed, 1 failed`);
process.exit(ok ? 0 : 1);
