// Node's heavier built-in modules, loaded on first use rather than when the bundle starts: a plain
// TCP scan never needs TLS, UDP, a child process or the resolver, and loading tls (with crypto),
// dgram, child_process and dns/promises at start-up costs a CLI run ~10 ms before it does anything.
// `nsp check` needs none of these, nor net, os or fs/promises (~6 ms more: the launcher's V8 flag
// makes Node compile the built-ins loaded after it from source, see cli/launch.ts).
// esbuild leaves these require calls where they are, so the bundle stays lazy too.
/* eslint-disable @typescript-eslint/no-require-imports */

export const nodeTls = (): typeof import('node:tls') => require('node:tls');
export const nodeDgram = (): typeof import('node:dgram') => require('node:dgram');
export const nodeChildProcess = (): typeof import('node:child_process') => require('node:child_process');
export const nodeDns = (): typeof import('node:dns/promises') => require('node:dns/promises');
export const nodeNet = (): typeof import('node:net') => require('node:net');
export const nodeOs = (): typeof import('node:os') => require('node:os');
export const nodeFsPromises = (): typeof import('node:fs/promises') => require('node:fs/promises');
export const nodeWorkerThreads = (): typeof import('node:worker_threads') => require('node:worker_threads');
