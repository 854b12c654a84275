// The official MCP conformance suite (server mode, --suite all: active and
// pending scenarios) against `cafmcp-node --profile conformance` over
// Streamable HTTP. Passes only if every scenario ran, no check failed and no
// check warned; prints the suite's summary and one "N passed, N failed" line.
//
//   node run_conformance.mjs /path/to/cafmcp-node
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNode, urlOf } from './lib/cafmcp_node.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.argv[2];
if (!binary) {
  console.error('usage: node run_conformance.mjs CAFMCP_NODE');
  process.exit(2);
}

// Every scenario of 0.1.16 `list --server`; a missing one means the suite changed.
const expected = [
  'server-initialize', 'logging-set-level', 'ping', 'completion-complete', 'tools-list',
  'tools-call-simple-text', 'tools-call-image', 'tools-call-audio', 'tools-call-embedded-resource',
  'tools-call-mixed-content', 'tools-call-with-logging', 'tools-call-error',
  'tools-call-with-progress', 'tools-call-sampling', 'tools-call-elicitation', 'json-schema-2020-12',
  'elicitation-sep1034-defaults', 'server-sse-polling', 'server-sse-multiple-streams',
  'elicitation-sep1330-enums', 'resources-list', 'resources-read-text', 'resources-read-binary',
  'resources-templates-read', 'resources-subscribe', 'resources-unsubscribe', 'prompts-list',
  'prompts-get-simple', 'prompts-get-with-args', 'prompts-get-embedded-resource',
  'prompts-get-with-image', 'dns-rebinding-protection',
];

function run(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

const node = await startNode(binary, [
  '--profile', 'conformance', '--http', '127.0.0.1:0', '--admin', '127.0.0.1:0',
]);
const results = mkdtempSync(join(tmpdir(), 'cafmcp-conformance-'));
const problems = [];
let passed = 0;
let failed = 0;
try {
  const url = urlOf(node.listeners.http);
  const suite = await run(process.execPath, [
    '--import', './shim.mjs', 'node_modules/@modelcontextprotocol/conformance/dist/index.js',
    'server', '--url', url, '--suite', 'all', '-o', results,
  ]);
  const summary = suite.out.slice(suite.out.indexOf('=== SUMMARY ==='));
  console.log(summary.trim());
  const total = /Total: (\d+) passed, (\d+) failed/.exec(summary);
  if (!total) problems.push(`no summary from the suite (exit ${suite.code}):\n${suite.out}`);
  else if (Number(total[2]) !== 0) problems.push(`${total[2]} checks failed`);
  if (suite.code !== 0) problems.push(`the suite exited ${suite.code}`);
  for (const scenario of expected) {
    const line = new RegExp(`^. ${scenario}: (\\d+) passed, (\\d+) failed`, 'm').exec(summary);
    if (!line) problems.push(`scenario ${scenario} did not run`);
    else if (Number(line[1]) === 0) problems.push(`scenario ${scenario} passed no check`);
  }
  // The per-scenario check files: no FAILURE and no WARNING anywhere.
  for (const dir of readdirSync(results)) {
    const checks = JSON.parse(readFileSync(join(results, dir, 'checks.json'), 'utf8'));
    for (const c of checks) {
      if (c.status === 'SUCCESS') passed += 1;
      if (c.status === 'FAILURE' || c.status === 'WARNING') {
        if (c.status === 'FAILURE') failed += 1;
        problems.push(`${dir}: ${c.status} ${c.id}: ${c.errorMessage ?? c.description}`);
      }
    }
  }
} catch (e) {
  problems.push(String(e?.stack ?? e));
} finally {
  const code = await node.stop();
  if (code !== 0) problems.push(`cafmcp-node exited ${code} on SIGTERM:\n${node.stderr()}`);
  rmSync(results, { recursive: true, force: true });
}
for (const p of problems) console.error(`FAIL: ${p}`);
if (problems.length > 0 && failed === 0) failed = problems.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(problems.length === 0 ? 0 : 1);
