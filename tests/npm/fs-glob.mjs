// The "fs" module as Node 22 shapes it, for Node 20: every export of node:fs
// plus globSync, which Node 20 lacks. shim.mjs points the conformance suite's
// `import ... from "fs"` here.
import fs from 'node:fs';
import path from 'node:path';

export * from 'node:fs';
export default fs;

// "**/" any directories (or none), "*" within one path segment, "?" one character.
export function globToRegExp(pattern) {
  let re = '';
  for (let i = 0; i < pattern.length; ++i) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i += 1;
      if (pattern[i + 1] === '/') {
        i += 1;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

// fs.globSync(patterns, {cwd}) for the patterns the suite uses (relative
// paths, "/" separators); a missing directory matches nothing.
export function globSync(patterns, options = {}) {
  if (typeof fs.globSync === 'function') return fs.globSync(patterns, options);
  const cwd = options.cwd ? String(options.cwd) : process.cwd();
  const matchers = (Array.isArray(patterns) ? patterns : [patterns]).map(globToRegExp);
  let entries;
  try {
    entries = fs.readdirSync(cwd, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .map((e) => String(e).split(path.sep).join('/'))
    .filter((rel) => matchers.some((m) => m.test(rel)));
}
