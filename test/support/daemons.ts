// Real daemons from Debian's packages, started on 127.0.0.1 for the prober's live tests and the
// scan benchmark, each with a throwaway config in a temp dir, stopped by PID. A daemon that is not
// installed or does not come up makes startDaemon() throw a message naming the package, so the
// test fails loudly instead of skipping (.ci/apt-packages.txt installs them in CI).
//
// Ports are fixed, and chosen for nmap's probe order: some probes go only to the ports they list
// at the default intensity (Redis → 6379, 6380 or 16379, its probe's list, so a system Redis on
// 6379 leaves the others), and a port a probe lists is probed first (HTTP on 40193 gets GetRequest right after NULL; HTTPS on 44443 gets SSLSessionReq, then GetRequest inside
// TLS; DNS on 2967 gets DNSVersionBindReq first).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type DaemonKind = 'ssh' | 'http' | 'https' | 'ftp' | 'smtp' | 'redis' | 'dns';

export interface Daemon {
  kind: DaemonKind;
  /** The Debian package the binary comes from. */
  pkg: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  pid: number;
  /** What the daemon printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

interface Recipe {
  pkg: string;
  binary: string;
  /** Ports to try in order: the first free one is used (all equivalent for nmap's probe order). */
  ports: number[];
  protocol: 'TCP' | 'UDP';
  /** Writes config files into `dir`, returns the argv (after the binary). */
  setup(dir: string, port: number): string[];
}

function selfSignedCert(dir: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore', timeout: 20000 });
}

function nginxConfig(dir: string, server: string): string[] {
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), 'nsp test page\n');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`).join('\n');
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
daemon off;
events { worker_connections 64; }
http {
  access_log off;
${temp}
  server { ${server} root ${dir}/www; }
}
`);
  return ['-c', join(dir, 'nginx.conf'), '-p', dir];
}

const RECIPES: Record<DaemonKind, Recipe> = {
  ssh: {
    pkg: 'openssh-server',
    binary: '/usr/sbin/sshd',
    ports: [22022, 22122, 22222],
    protocol: 'TCP',
    setup(dir, port) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'hostkey')], { timeout: 20000 });
      // sshd refuses to start without its privilege-separation directory.
      mkdirSync('/run/sshd', { recursive: true });
      writeFileSync(join(dir, 'sshd_config'), `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${dir}/hostkey\nPidFile ${dir}/sshd.pid\nUsePAM no\n`);
      return ['-D', '-e', '-f', join(dir, 'sshd_config')];
    },
  },
  http: {
    pkg: 'nginx-light',
    binary: '/usr/sbin/nginx',
    // All listed by GetRequest, so it comes right after NULL.
    ports: [40193, 18264, 13722],
    protocol: 'TCP',
    setup: (dir, port) => nginxConfig(dir, `listen 127.0.0.1:${port};`),
  },
  https: {
    pkg: 'nginx-light',
    binary: '/usr/sbin/nginx',
    // All listed by SSLSessionReq, and by GetRequest's sslports.
    ports: [44443, 14443, 10443],
    protocol: 'TCP',
    setup(dir, port) {
      selfSignedCert(dir);
      return nginxConfig(dir, `listen 127.0.0.1:${port} ssl; ssl_certificate ${dir}/cert.pem; ssl_certificate_key ${dir}/key.pem;`);
    },
  },
  ftp: {
    pkg: 'vsftpd',
    binary: '/usr/sbin/vsftpd',
    ports: [20021, 20121, 20221],
    protocol: 'TCP',
    setup(dir, port) {
      mkdirSync(join(dir, 'empty'));
      writeFileSync(join(dir, 'vsftpd.conf'), [
        'listen=YES', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
        'anonymous_enable=YES', `anon_root=${dir}/empty`, 'local_enable=NO', 'seccomp_sandbox=NO',
        `secure_chroot_dir=${dir}/empty`, '',
      ].join('\n'));
      return [join(dir, 'vsftpd.conf')];
    },
  },
  smtp: {
    pkg: 'exim4-daemon-light',
    binary: '/usr/sbin/exim4',
    ports: [20025, 20125, 20225],
    protocol: 'TCP',
    // Debian's own exim configuration, in the foreground (-bdf), on our port (-oX).
    setup: (dir, port) => ['-bdf', '-oX', String(port), '-oP', join(dir, 'exim.pid')],
  },
  redis: {
    pkg: 'redis-server',
    binary: '/usr/bin/redis-server',
    ports: [6379, 6380, 16379],
    protocol: 'TCP',
    setup: (dir, port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
  },
  dns: {
    pkg: 'dnsmasq-base',
    binary: '/usr/sbin/dnsmasq',
    // DNSVersionBindReq lists 2967 and 1967 in both nmap 7.93's file and the latest (which adds
    // 26198), so it is the first probe sent on either.
    ports: [2967, 1967, 26198],
    protocol: 'UDP',
    setup: (dir, port) => [
      '-k', '-p', String(port), '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts',
      '--conf-file=/dev/null', `--pid-file=${dir}/dnsmasq.pid`, '-u', 'root',
    ],
  },
};

/** Is something listening on 127.0.0.1:port? Read from /proc, so no probe traffic is made. */
export function isListening(port: number, protocol: 'TCP' | 'UDP'): boolean {
  const table = readFileSync(protocol === 'TCP' ? '/proc/net/tcp' : '/proc/net/udp', 'utf8');
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const any = `00000000:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').some((line) => {
    const f = line.trim().split(/\s+/);
    return (f[1] === local || f[1] === any) && (protocol === 'UDP' || f[3] === '0A');
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startDaemon(kind: DaemonKind, timeoutMs = 10000): Promise<Daemon> {
  const r = RECIPES[kind];
  if (!existsSync(r.binary)) {
    throw new Error(`${kind}: ${r.binary} is missing — install Debian's ${r.pkg} (apt-get install -y ${r.pkg}; .ci/apt-packages.txt lists it)`);
  }
  const port = r.ports.find((p) => !isListening(p, r.protocol));
  if (port === undefined) {
    throw new Error(`${kind}: 127.0.0.1 ports ${r.ports.join(', ')}/${r.protocol.toLowerCase()} are all in use; the test needs one of them (see test/support/daemons.ts)`);
  }
  const dir = mkdtempSync(join(tmpdir(), `nsp-${kind}-`));
  let out = '';
  const argv = r.setup(dir, port);
  const child = spawn(r.binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let spawnError: Error | undefined;
  child.on('error', (e) => (spawnError = e));
  const daemon: Daemon = {
    kind,
    pkg: r.pkg,
    port,
    protocol: r.protocol,
    pid: child.pid ?? -1,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(child.pid, 'SIGTERM');
        const killer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000);
        await exited(child);
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!isListening(port, r.protocol)) {
    if (spawnError || child.exitCode !== null || Date.now() > deadline) {
      await daemon.stop();
      const why = spawnError ? spawnError.message : child.exitCode !== null ? `exited with ${child.exitCode}` : `not listening after ${timeoutMs} ms`;
      throw new Error(`${kind} (${r.pkg}) did not start on 127.0.0.1:${port}: ${why}\n${out.trim()}`);
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  return daemon;
}

export const DAEMON_KINDS = Object.keys(RECIPES) as DaemonKind[];
