// Text with a map back to document offsets: the fingerprint reader unwraps `SF:` lines and
// decodes XML attributes, and still reports diagnostics at the right place in the original.

export interface MappedText {
  text: string;
  /** offsets[i] is the document offset of text[i]; one extra entry for the end. */
  offsets: number[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the XML entities of an attribute value at document[start, start + length). */
export function decodeXmlAttribute(doc: string, start: number, length: number): MappedText {
  const chars: string[] = [];
  const offsets: number[] = [];
  const end = start + length;
  let i = start;
  while (i < end) {
    if (doc[i] === '&') {
      const semi = doc.indexOf(';', i);
      const name = semi !== -1 && semi < end && semi - i < 10 ? doc.slice(i + 1, semi) : '';
      let ch: string | undefined = ENTITIES[name];
      if (ch === undefined && /^#x[0-9a-fA-F]+$/.test(name)) ch = String.fromCharCode(parseInt(name.slice(2), 16));
      else if (ch === undefined && /^#[0-9]+$/.test(name)) ch = String.fromCharCode(parseInt(name.slice(1), 10));
      if (ch !== undefined) {
        chars.push(ch);
        offsets.push(i);
        i = semi + 1;
        continue;
      }
    }
    chars.push(doc[i]);
    offsets.push(i);
    i++;
  }
  offsets.push(end);
  return { text: chars.join(''), offsets };
}
