# Sends ICMP "port unreachable" errors for UDP datagrams on loopback, as the kernel would if no
# socket were bound: one request per stdin line "SRCPORT DSTPORT PAYLOADLEN" (the datagram went
# from 127.0.0.1:SRCPORT to 127.0.0.1:DSTPORT). nmap's connected UDP socket then reads
# ECONNREFUSED and moves to its next probe at once instead of waiting out totalwaitms; both paths
# end in startNextProbe (service_scan.cc, servicescan_read_handler), so the verdict is unchanged.
# Needs root (a raw socket). Used only by test/support/nmap-run.ts.
import socket, struct, sys

def checksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff

raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
lo = socket.inet_aton('127.0.0.1')
for line in sys.stdin:
    try:
        sport, dport, plen = (int(x) for x in line.split())
    except ValueError:
        continue
    inner_ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 28 + plen, 0, 0x4000, 64, 17, 0, lo, lo)
    inner_ip = inner_ip[:10] + struct.pack('!H', checksum(inner_ip)) + inner_ip[12:]
    inner_udp = struct.pack('!HHHH', sport, dport, 8 + plen, 0)
    body = struct.pack('!BBHI', 3, 3, 0, 0) + inner_ip + inner_udp
    icmp = body[:2] + struct.pack('!H', checksum(body)) + body[4:]
    raw.sendto(icmp, ('127.0.0.1', 0))
    sys.stdout.write('ok\n')
    sys.stdout.flush()
