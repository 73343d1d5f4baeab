// nmap-services as data: port/protocol → service names. The server reads the file (beside the
// probes file or in nmap's data directory) and hands its text here; parsing it is pure.

export type ServicesTable = Map<string, string[]>;

/** Parses nmap-services lines `name port/proto frequency [# comment]`. Bad lines are skipped. */
export function parseNmapServices(text: string): ServicesTable {
  const table: ServicesTable = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(\d+)\/(tcp|udp|sctp)\b/.exec(line);
    if (!m) continue;
    const key = `${Number(m[2])}/${m[3]}`;
    const list = table.get(key);
    if (list) {
      if (!list.includes(m[1])) list.push(m[1]);
    } else table.set(key, [m[1]]);
  }
  return table;
}

export function servicesFor(table: ServicesTable | undefined, port: number, proto: 'tcp' | 'udp' | 'sctp'): string[] {
  return table?.get(`${port}/${proto}`) ?? [];
}
