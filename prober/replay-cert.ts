// A throwaway self-signed certificate for replaying a service recorded through TLS. nmap does not
// check certificates, so any will do; we make one with the `openssl` command rather than ship a
// key in the repository.

import { join } from 'node:path';
import { nodeChildProcess, nodeFsPromises, nodeOs } from './node-modules';

export interface PemPair {
  cert: string;
  key: string;
}

let made: Promise<PemPair> | undefined;

/** Runs `openssl req -x509` once per process; rejects with a readable message if openssl is missing. */
export function makeSelfSignedCert(): Promise<PemPair> {
  made ??= (async () => {
    const { mkdtemp, readFile, rm } = nodeFsPromises();
    const dir = await mkdtemp(join(nodeOs().tmpdir(), 'nsp-cert-'));
    try {
      await new Promise<void>((ok, fail) =>
        nodeChildProcess().execFile(
          'openssl',
          ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '2',
            '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
          { timeout: 30_000 },
          (e) => (e ? fail(new Error(`cannot make a TLS certificate with openssl: ${e.message}`)) : ok()),
        ),
      );
      return { cert: await readFile(join(dir, 'cert.pem'), 'utf8'), key: await readFile(join(dir, 'key.pem'), 'utf8') };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return made;
}
