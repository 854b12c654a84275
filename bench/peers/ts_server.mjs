// The TypeScript SDK peer of bench/run.sh throughput: the official SDK's
// stateful Streamable HTTP server (one transport and McpServer per session,
// as in the SDK's own example), JSON responses, and the same `echo` tool as
// cafmcp-bench-server. Node's http module, no framework in between.
//
//   node ts_server.mjs PORT        (0: any free port; prints "listening PORT")
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const transports = new Map();

function newSessionServer() {
  const server = new McpServer({ name: "ts-sdk-bench", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Returns its text argument", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

function fail(res, status, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

const http = createServer(async (req, res) => {
  try {
    if (!req.url.startsWith("/mcp")) return fail(res, 404, "not found");
    const sid = req.headers["mcp-session-id"];
    const body = req.method === "POST" ? await readJson(req) : undefined;
    let transport = sid ? transports.get(sid) : undefined;
    if (!transport) {
      if (sid || req.method !== "POST" || !isInitializeRequest(body))
        return fail(res, sid ? 404 : 400, sid ? "Session not found" : "No valid session ID");
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newSessionServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) fail(res, 500, String(e));
  }
});
http.keepAliveTimeout = 60000;
http.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.error(`listening ${http.address().port}`);
});
