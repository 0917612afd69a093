#!/usr/bin/env node
// The `essaim` command: runs the TypeScript CLI through tsx, which is a runtime dependency.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
