// `npm start`: after the build, show `nsp check` on our example file (which has deliberate mistakes)
// and on the nmap-service-probes file of the nmap installed on this machine, if there is one.
// It is a demo: finding errors in the example is the point, so it exits 0 when nsp ran and reported,
// and non-zero only when nsp itself failed (usage error, unreadable file, crash).
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nsp = join(root, 'dist', 'nsp.js');
const MAX_LINES = 40;

/** Where nmap looks for its data files, in nmap's own order (nmap_fetchfile in nmap.cc). */
function nmapProbesFile() {
  const dirs = [];
  if (process.env.NMAPDIR) dirs.push(process.env.NMAPDIR);
  dirs.push(join(homedir(), '.nmap'));
  for (const p of (process.env.PATH ?? '').split(delimiter)) {
    const exe = join(p, 'nmap');
    if (p && existsSync(exe)) {
      const real = realpathSync(exe);
      dirs.push(dirname(real), join(dirname(real), '..', 'share', 'nmap'));
      break;
    }
  }
  dirs.push('/usr/local/share/nmap', '/usr/share/nmap');
  for (const d of dirs) {
    const f = join(d, 'nmap-service-probes');
    if (existsSync(f)) return f;
  }
  return undefined;
}

function run(file, title) {
  console.log(`\n=== ${title}\n$ nsp check ${file}`);
  const r = spawnSync(process.execPath, [nsp, 'check', file], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  const lines = r.stdout.trimEnd().split('\n');
  const summary = lines.pop();
  for (const l of lines.slice(0, MAX_LINES)) console.log(l);
  if (lines.length > MAX_LINES) console.log(`… ${lines.length - MAX_LINES} more lines (run: node dist/nsp.js check ${file})`);
  if (summary !== undefined) console.log(summary);
  if (r.stderr) process.stderr.write(r.stderr);
  console.log(`(exit status ${r.status}: ${r.status === 0 ? 'no errors' : r.status === 1 ? 'errors found' : 'nsp failed'})`);
  return r.status === 0 || r.status === 1;
}

if (!existsSync(nsp)) {
  console.error('dist/nsp.js is missing: run `npm run build` first (npm start does).');
  process.exit(2);
}
let ok = run(join('examples', 'nmap-service-probes.example'), 'our example file, with deliberate mistakes (see its MISTAKE comments)');
const installed = nmapProbesFile();
if (installed) ok = run(installed, "the nmap-service-probes of this machine's nmap") && ok;
else console.log('\n(no installed nmap-service-probes found: install nmap or set NMAPDIR to check it too)');
process.exit(ok ? 0 : 1);
