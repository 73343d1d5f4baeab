// Templates, cpe and limits, with expectations taken from nmap's code paths (service_scan.cc
// dotmplsubst/substvar/getsubstcommandargs/transform_cpe, portlist.cc cstringSanityCheck).
import { strict as assert } from 'node:assert';
import { applyVersionInfo, cstringUnescape, fillTemplate, transformCpe } from '../../engine/versioninfo';
import type { Captures } from '../../engine/versioninfo';

/** Captures of `groups` found in `subject` (each group is a substring; null = unset). */
function caps(subject: string, groups: (string | null)[]): Captures {
  const out: ([number, number] | null)[] = [[0, subject.length]];
  let from = 0;
  for (const g of groups) {
    if (g === null) {
      out.push(null);
      continue;
    }
    const at = subject.indexOf(g, from);
    assert.ok(at >= 0, `group ${g} not in subject`);
    out.push([at, at + g.length]);
    from = at;
  }
  return out;
}

describe('engine/versioninfo', () => {
  it('copies $1–$9 and trims trailing whitespace and commas (dotmplsubst)', () => {
    const s = 'Server: Apache 2.4.1 , \r\nx';
    const v = applyVersionInfo({ p: 'Apache httpd', v: '$1', i: 'extra $2', cpe: [] }, caps(s, ['2.4.1 , \r\n', 'x']), s);
    assert.equal(v.product, 'Apache httpd');
    assert.equal(v.version, '2.4.1');
    assert.equal(v.info, 'extra x');
  });

  it('drops a field whose group is unset, missing, 0 or >9, and keeps the others', () => {
    const s = 'abc';
    const c = caps(s, ['a', null]);
    const v = applyVersionInfo({ p: '$1', v: '$2', i: '$3', h: '$0', cpe: [] }, c, s);
    assert.equal(v.product, 'a');
    assert.equal(v.version, null);
    assert.equal(v.info, null);
    assert.equal(v.hostname, null);
    assert.deepEqual(v.failures.map((f) => f.field), ['v', 'i', 'h']);
  });

  it('$P keeps printable bytes only', () => {
    const s = 'W\0O\0R\0K\0\x01\xe9!';
    const v = applyVersionInfo({ p: '$P(1)', cpe: [] }, caps(s, [s]), s);
    assert.equal(v.product, 'WORK!');
  });

  it('$SUBST replaces every occurrence; an escaped quote breaks the template (cstring_unescape)', () => {
    const s = '1_2_3';
    assert.equal(applyVersionInfo({ v: '$SUBST(1,"_",".")', cpe: [] }, caps(s, [s]), s).version, '1.2.3');
    assert.equal(applyVersionInfo({ v: '$SUBST(1,"_","\\x41")', cpe: [] }, caps(s, [s]), s).version, '1A2A3');
    assert.equal(applyVersionInfo({ v: '$SUBST(1,"\\"","x")', cpe: [] }, caps(s, [s]), s).version, null);
    assert.equal(applyVersionInfo({ v: '$SUBST(1,"_")', cpe: [] }, caps(s, [s]), s).version, null);
  });

  it('$I reads up to 8 bytes big- or little-endian, as an unsigned decimal', () => {
    const s = '\x01\x02';
    assert.equal(applyVersionInfo({ v: '$I(1,">")', cpe: [] }, caps(s, [s]), s).version, '258');
    assert.equal(applyVersionInfo({ v: '$I(1,"<")', cpe: [] }, caps(s, [s]), s).version, '513');
    const big = '\xff'.repeat(8);
    assert.equal(applyVersionInfo({ v: '$I(1,">")', cpe: [] }, caps(big, [big]), big).version, '18446744073709551615');
    const nine = '\x01'.repeat(9);
    assert.equal(applyVersionInfo({ v: '$I(1,">")', cpe: [] }, caps(nine, [nine]), nine).version, null);
    assert.equal(applyVersionInfo({ v: '$I(1,"x")', cpe: [] }, caps(s, [s]), s).version, null);
  });

  it('an unknown $command or a bare $ drops the field', () => {
    const s = 'a';
    assert.equal(applyVersionInfo({ p: '$Q(1)', cpe: [] }, caps(s, [s]), s).product, null);
    assert.equal(applyVersionInfo({ p: 'cost $', cpe: [] }, caps(s, [s]), s).product, null);
  });

  it('group numbers are one digit: $10 is $1 then "0"; $P(257) is group 1 (u8)', () => {
    const s = 'x';
    assert.equal(applyVersionInfo({ p: '$10', cpe: [] }, caps(s, [s]), s).product, 'x0');
    assert.equal(applyVersionInfo({ p: '$P(257)', cpe: [] }, caps(s, [s]), s).product, 'x');
    assert.equal(applyVersionInfo({ p: '$P(0x1)', cpe: [] }, caps(s, [s]), s).product, 'x');
  });

  it('respects the buffer sizes: 80 for p/v/h and cpe, 256 for i, 32 for o/d', () => {
    // A buffer of n bytes holds at most n-2 bytes of substituted text (dotmplsubst's checks).
    const ok = 'a'.repeat(78);
    const long = 'a'.repeat(79);
    assert.equal(fillTemplate('$1', ok, caps(ok, [ok]), 80).ok, true);
    assert.equal(fillTemplate('$1', long, caps(long, [long]), 80).ok, false);
    // Literal text alone may use one byte more (the copy loop checks before each byte).
    assert.equal(fillTemplate('a'.repeat(79), '', [[0, 0]], 80).ok, true);
    assert.equal(fillTemplate('a'.repeat(80), '', [[0, 0]], 80).ok, false);
    const o = 'L'.repeat(31);
    assert.equal(applyVersionInfo({ o: '$1', cpe: [] }, caps(o, [o]), o).ostype, null);
    const i = 'i'.repeat(254);
    assert.equal(applyVersionInfo({ i: '$1', cpe: [] }, caps(i, [i]), i).info, i);
  });

  it('transforms substitutions into cpe: lower case, "_" for spaces, %XX for reserved', () => {
    assert.equal(transformCpe('2.4 (Unix)'), '2.4_%28unix%29');
    const s = 'Foo Bar:1/2';
    const v = applyVersionInfo({ cpe: ['cpe:/a:Vendor:$1'] }, caps(s, [s]), s);
    // The literal text is not transformed, only what $1 brought.
    assert.deepEqual(v.cpe, ['cpe:/a:Vendor:foo_bar%3A1%2F2']);
  });

  it('keeps one cpe per part in a, h, o order; a later template replaces or (failing) empties the slot', () => {
    const s = 'x';
    const c = caps(s, [s]);
    assert.deepEqual(applyVersionInfo({ cpe: ['cpe:/o:linux:linux_kernel', 'cpe:/a:x:y'] }, c, s).cpe, ['cpe:/a:x:y', 'cpe:/o:linux:linux_kernel']);
    assert.deepEqual(applyVersionInfo({ cpe: ['cpe:/a:x:1', 'cpe:/a:x:2'] }, c, s).cpe, ['cpe:/a:x:2']);
    assert.deepEqual(applyVersionInfo({ cpe: ['cpe:/a:x:1', 'cpe:/a:x:$2'] }, c, s).cpe, []);
    assert.deepEqual(applyVersionInfo({ cpe: ['cpe:/z:x:1'] }, c, s).cpe, []);
  });

  it('shows non-printable bytes as "." (cstringSanityCheck)', () => {
    const s = 'caf\xc3\xa9';
    assert.equal(applyVersionInfo({ p: '$1', cpe: [] }, caps(s, [s]), s).product, 'caf..');
  });

  it('unescapes probe-style strings like nmap (no \\a \\b \\f \\v)', () => {
    assert.equal(cstringUnescape('a\\x41\\0\\r\\n\\t\\\\'), 'aA\0\r\n\t\\');
    assert.equal(cstringUnescape('\\a'), null);
    assert.equal(cstringUnescape('\\x4'), null);
  });
});
