#include "cafmcp/app/admin/dashboard_html.hpp"

namespace cafmcp::app {

// clang-format off
const char dashboard_html[] = R"page(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cafmcp dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --muted:#57606a; --line:#d0d7de; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { display: flex; gap: 1.5em; align-items: center; padding: .8em 1.2em; background: #24292f; color: #fff; }
  header h1 { font-size: 1.1em; margin: 0; }
  .badge { padding: .15em .6em; border-radius: 1em; font-weight: 600; background: var(--muted); color: #fff; }
  .badge.up, .badge.running, .badge.ready { background: var(--ok); }
  .badge.degraded, .badge.restarting { background: var(--warn); }
  .badge.down, .badge.unknown, .badge.not_ready, .badge.no_answer, .badge.stopped { background: var(--bad); }
  main { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(420px, 1.4fr); gap: 1em; padding: 1em; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6em 1em; }
  h2 { font-size: 1em; margin: .2em 0 .6em; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .2em .5em; border-bottom: 1px solid var(--line); }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  ul.tree { list-style: none; padding-left: 1.2em; margin: 0; }
  ul.tree li { margin: .15em 0; }
  .muted { color: var(--muted); }
  .alert { padding: .3em .6em; margin: .3em 0; border-left: 4px solid var(--bad); background: #ffebe9; }
  .alert.cleared { border-color: var(--line); background: #f6f8fa; color: var(--muted); }
  tr.changed td { background: #fff8c5; transition: background 1s; }
</style>
</head>
<body>
<header>
  <h1>cafmcp</h1>
  <span>node <span id="serving" class="badge">connecting</span></span>
  <span>health <span id="overall" class="badge">unknown</span></span>
  <span class="muted" id="conn">connecting...</span>
  <span class="muted">updates: <span id="updates">0</span></span>
</header>
<main>
  <section>
    <h2>Supervision tree</h2>
    <div id="tree" class="muted">waiting for the first update</div>
  </section>
  <section>
    <h2>Connection pools</h2>
    <table id="pools">
      <thead><tr><th>pool</th><th>health</th><th class="n">connections</th><th class="n">restarts</th>
        <th class="n">last recovery</th><th>rotation</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2 style="margin-top:1em">Active alerts</h2>
    <div id="alerts" class="muted">none</div>
    <h2 style="margin-top:1em">Failure domains</h2>
    <table id="domains"><thead><tr><th>domain</th><th>health</th><th class="n">active / specs</th></tr></thead><tbody></tbody></table>
    <h2 style="margin-top:1em">Recovery times</h2>
    <table id="recoveries"><thead><tr><th>supervisor</th><th>child</th><th class="n">count</th>
      <th class="n">last ms</th><th class="n">max ms</th><th class="n">over target</th></tr></thead><tbody></tbody></table>
    <h2 style="margin-top:1em">Traffic</h2>
    <div id="traffic" class="muted"></div>
  </section>
</main>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token");
const el = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
const badge = (s) => '<span class="badge ' + esc(s) + '">' + esc(s) + '</span>';
let updates = 0;
let lastRestarts = {};

function treeHtml(n) {
  let label = '<b>' + esc(n.name) + '</b> ' + badge(n.status);
  if (n.specs !== undefined)
    label += ' <span class="muted">' + n.active + '/' + n.specs + ' children active</span>';
  let kids = (n.children || []).map((c) => '<li data-node="' + esc(c.name) + '">' +
      (c.type === "supervisor" ? treeHtml(c) : esc(c.name) + ' ' + badge(c.status)) + '</li>').join("");
  return label + (kids ? '<ul class="tree">' + kids + '</ul>' : '');
}

function rows(id, items, cells, attr) {
  el(id).querySelector("tbody").innerHTML = items.map((x) =>
      '<tr' + (attr ? attr(x) : '') + '>' + cells(x).join("") + '</tr>').join("");
}

function render(d) {
  el("updates").textContent = ++updates;
  el("serving").className = "badge " + (d.serving ? "up" : "down");
  el("serving").textContent = d.serving ? "serving" : "not serving";
  el("overall").className = "badge " + d.health.overall;
  el("overall").textContent = d.health.overall;
  el("tree").innerHTML = '<ul class="tree" style="padding-left:0"><li data-node="' + esc(d.tree.name) + '">' +
      treeHtml(d.tree) + '</li></ul>';
  rows("pools", d.pools, (p) => [
      '<td>' + esc(p.name) + '</td>', '<td>' + badge(p.health) + '</td>',
      '<td class="n connections">' + p.connections + '</td>', '<td class="n restarts">' + p.restarts + '</td>',
      '<td class="n recovery">' + (p.last_recovery_ms ? p.last_recovery_ms.toFixed(2) + ' ms' : '-') + '</td>',
      '<td>' + (p.in_rotation ? 'in' : '<b>out</b>') + '</td>'],
      (p) => ' data-pool="' + esc(p.name) + '"' +
             (lastRestarts[p.name] !== undefined && lastRestarts[p.name] !== p.restarts ? ' class="changed"' : ''));
  d.pools.forEach((p) => { lastRestarts[p.name] = p.restarts; });
  rows("domains", d.health.domains, (x) => ['<td>' + esc(x.name) + '</td>', '<td>' + badge(x.status) + '</td>',
      '<td class="n">' + x.active + ' / ' + x.specs + '</td>'], (x) => ' data-domain="' + esc(x.name) + '"');
  rows("recoveries", d.recoveries, (r) => ['<td>' + esc(r.supervisor) + '</td>', '<td>' + esc(r.child) + '</td>',
      '<td class="n">' + r.count + '</td>', '<td class="n">' + r.last_ms.toFixed(2) + '</td>',
      '<td class="n">' + r.max_ms.toFixed(2) + '</td>', '<td class="n">' + r.over_target + '</td>']);
  const active = d.alerts.filter((a) => a.active);
  el("alerts").className = active.length ? "" : "muted";
  el("alerts").innerHTML = active.length
      ? active.map((a) => '<div class="alert" data-alert="' + esc(a.name) + '"><b>' + esc(a.name) + '</b>: ' +
                           esc(a.message) + '</div>').join("")
      : "none";
  const s = Object.entries(d.sessions).filter(([, n]) => n > 0).map(([t, n]) => t + ': ' + n).join(", ");
  el("traffic").textContent = 'requests ok ' + d.requests.ok + ', error ' + d.requests.error + ', failed ' +
      d.requests.failed + ' | sessions ' + (s || 'none') + ' | SSE streams ' + d.sse_streams;
}

function connect() {
  const es = new EventSource("/dashboard/events" + (token ? "?token=" + encodeURIComponent(token) : ""));
  es.addEventListener("open", () => { el("conn").textContent = "live"; });
  es.addEventListener("update", (e) => render(JSON.parse(e.data)));
  es.addEventListener("error", () => { el("conn").textContent = "reconnecting..."; });
}
connect();
</script>
</body>
</html>
)page";
// clang-format on

} // namespace cafmcp::app
