// Preload for Node 20: `node --import ./shim.mjs node_modules/.../index.js`.
// @modelcontextprotocol/conformance 0.1.16 imports `globSync` from "fs",
// which only Node 22 has. A builtin's ESM exports are fixed, so instead of
// patching fs this registers a resolve hook that hands every `import "fs"`
// outside fs-glob.mjs the module fs-glob.mjs (node:fs plus globSync).
import { register } from 'node:module';

const replacement = new URL('./fs-glob.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === 'fs' || specifier === 'node:fs') && context.parentURL !== replacement)
    return { url: replacement, shortCircuit: true };
  return nextResolve(specifier, context);
}

// Run as a preload (not as the hooks module itself): install the hook.
if (!process.env.CAFMCP_FS_SHIM_HOOKS) {
  process.env.CAFMCP_FS_SHIM_HOOKS = '1';
  register(import.meta.url);
}
