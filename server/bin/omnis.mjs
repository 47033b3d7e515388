#!/usr/bin/env node
// The `omnis` command: runs the TypeScript CLI through tsx, so there is no separate server build step.
import { register } from 'tsx/esm/api';

register();
const { buildCli, describeFailure } = await import('../src/cli.ts');
buildCli()
  .parseAsync(process.argv)
  .catch((err) => {
    process.stderr.write(`omnis: ${describeFailure(err)}\n`);
    if (process.env.OMNIS_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    process.exit(1);
  });
