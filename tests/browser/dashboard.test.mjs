// The dashboard in a real browser: starts cafmcp-node (admin and HTTP on free
// ports), opens /dashboard in Debian's headless chromium, checks what the page
// shows, kills a pool through /kill and checks that the page shows its restart
// within a second, without a reload. Saves a screenshot.
//
//   node dashboard.test.mjs <path/to/cafmcp-node> <output dir>
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [nodeBinary, outDir] = process.argv.slice(2);
if (!nodeBinary || !outDir) {
  console.error("usage: node dashboard.test.mjs <cafmcp-node> <output dir>");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const failures = [];
let passed = 0;
function check(ok, what) {
  if (ok) {
    passed++;
    console.log(`ok: ${what}`);
  } else {
    failures.push(what);
    console.log(`FAILED: ${what}`);
  }
}

// Starts the node and resolves once it printed "ready", with its admin port and token.
function startNode() {
  const child = spawn(nodeBinary, ["--num-pools", "4", "--admin", "127.0.0.1:0",
                                   "--http", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("node not ready in 30 s:\n" + log)), 30000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const admin = /listening admin 127\.0\.0\.1:(\d+) token=(\S+)/.exec(log);
      const http = /listening http 127\.0\.0\.1:(\d+)/.exec(log);
      if (admin && http && log.includes("cafmcp: ready")) {
        clearTimeout(timer);
        resolve({ child, adminPort: Number(admin[1]), token: admin[2], httpPort: Number(http[1]),
                  log: () => log });
      }
    });
    child.on("exit", (code) => reject(new Error(`node exited (${code}):\n` + log)));
  });
}

async function openSessions(httpPort, n) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${httpPort}/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize",
                             params: { protocolVersion: "2025-11-25", capabilities: {},
                                       clientInfo: { name: "browser-test", version: "1" } } }),
    });
    await res.text();
    if (res.status !== 200) throw new Error(`initialize: HTTP ${res.status}`);
  }
}

const node = await startNode();
const userDataDir = mkdtempSync(join(tmpdir(), "cafmcp-chromium-"));
let context;
try {
  await openSessions(node.httpPort, 8);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-proxy-server"],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const base = `http://127.0.0.1:${node.adminPort}`;
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  await page.goto(`${base}/dashboard?token=${node.token}`);

  // Live: the event stream connected and delivered the tree.
  await page.waitForFunction(() => document.getElementById("conn").textContent === "live" &&
                                   Number(document.getElementById("updates").textContent) > 0,
                             null, { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById("overall").textContent === "up",
                             null, { timeout: 10000 });
  const text = (sel) => page.locator(sel).first().textContent();
  check((await text("#serving")) === "serving", "the header says the node is serving");
  for (const sup of ["cafmcp_sup", "core_sup", "monitoring_sup", "config_sup",
                     "connection_pool_sup", "transport_sup", "pool_0", "pool_3"])
    check((await page.locator(`[data-node="${sup}"] .badge`).first().textContent()) === "running",
          `the tree shows ${sup} running`);
  check(await page.locator('[data-node="registry"]').count() === 1, "the tree lists the registry");
  check(await page.locator("#pools tbody tr").count() === 4, "the pool table has 4 pools");
  const connections = await page.locator("#pools tbody tr .connections").allTextContents();
  check(connections.map(Number).reduce((a, b) => a + b, 0) === 8,
        `the pools hold the 8 sessions opened (${connections.join(",")})`);
  check((await text('tr[data-pool="pool_2"] .restarts')) === "0", "pool_2 has not restarted");
  check((await text("#alerts")) === "none", "no alert is active");

  // Kill pool_2 through the admin endpoint; the page must show it within a second.
  const updatesBefore = Number(await text("#updates"));
  const t0 = Date.now();
  const kill = await fetch(`${base}/kill?name=pool_2&reason=kill`, {
    method: "POST", headers: { Authorization: `Bearer ${node.token}` } });
  check(kill.status === 200, "POST /kill?name=pool_2 answers 200");
  let shownAfter = -1;
  try {
    await page.waitForFunction(
        () => document.querySelector('tr[data-pool="pool_2"] .restarts')?.textContent === "1",
        null, { timeout: 3000, polling: 20 });
    shownAfter = Date.now() - t0;
  } catch (e) { /* reported below */ }
  console.log(`kill -> restart shown on the page: ${shownAfter} ms`);
  check(shownAfter >= 0 && shownAfter < 1000, `the page shows pool_2's restart within 1 s (${shownAfter} ms)`);
  check(Number(await text("#updates")) > updatesBefore, "the page updated in place (no reload)");
  check((await page.locator('tr[data-pool="pool_2"] .connections').textContent()) === "0",
        "pool_2's sessions are gone with it");
  await page.waitForFunction(
      () => [...document.querySelectorAll("#recoveries tbody tr")]
                .some((tr) => tr.textContent.includes("pool_2")), null, { timeout: 5000 })
      .then(() => check(true, "the recovery table shows pool_2's recovery time"),
            () => check(false, "the recovery table shows pool_2's recovery time"));
  check((await page.locator('[data-node="pool_2"] .badge').first().textContent()) === "running",
        "pool_2 is running again in the tree");
  check(external.length === 0, `the page loads nothing from elsewhere (${external.join(", ")})`);

  await page.screenshot({ path: join(outDir, "dashboard.png"), fullPage: true });
  console.log(`screenshot: ${join(outDir, "dashboard.png")}`);
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log("FAILED: " + (e && e.stack || e));
  console.log(node.log());
} finally {
  if (context) await context.close();
  node.child.kill("SIGTERM");
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
