// Starts a cafmcp-node for a test and reads its startup lines from stderr:
// "cafmcp: listening <name> <host:port[/path]>" per listener, then
// "cafmcp: ready". Every port is 0 (the node picks free ones), so tests never
// collide; the admin endpoint is moved to a free port as well.
import { spawn } from 'node:child_process';

export async function startNode(binary, args, { readyTimeoutMs = 30000 } = {}) {
  const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const listeners = {};
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`cafmcp-node not ready within ${readyTimeoutMs} ms:\n${stderr}`)),
      readyTimeoutMs,
    );
    proc.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      for (const m of stderr.matchAll(/^cafmcp: listening (\w+) (\S+)/gm)) listeners[m[1]] = m[2];
      if (/^cafmcp: ready$/m.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`cafmcp-node exited early (code ${code}, signal ${signal}):\n${stderr}`));
    });
  });
  return {
    proc,
    listeners,
    stderr: () => stderr,
    // SIGTERM, then the exit status (0 for a clean shutdown), or the name of
    // the signal that ended the node (a crash while it stopped).
    async stop({ timeoutMs = 20000 } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const { code, signal } = await exited;
      clearTimeout(timer);
      return code ?? signal;
    },
  };
}

// "127.0.0.1:4711/mcp" -> "http://127.0.0.1:4711/mcp"
export function urlOf(listener, scheme = 'http') {
  if (!listener) throw new Error('the node did not report that listener');
  return `${scheme}://${listener}`;
}
