#!/usr/bin/env node
// The CLI from the build (dist/, made by `npm ci` / `npm run build`): plain JavaScript, no loader.
// A checkout without a build runs the TypeScript through tsx's loader instead, so `npx baton`
// always works.
import { existsSync } from 'node:fs';

const built = new URL('../dist/harness/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli.ts');
}
