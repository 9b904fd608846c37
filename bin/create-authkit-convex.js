#!/usr/bin/env node
// Tiny launcher: check the Node version before loading anything, then run the bundled CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 11)) {
  process.stderr.write(
    `create-authkit-convex needs Node.js 22.11 or newer (this is ${process.versions.node}).\n` +
      '  Fix: install a current Node.js LTS (https://nodejs.org) and run the command again.\n',
  );
  process.exit(2);
}
// Node caches the compiled CLI on disk, so later starts skip parsing it (Node >= 22.1).
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
