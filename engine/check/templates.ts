// Static checks of version-field templates (p/…/ v/…/ … cpe:/…/): the `$` substitutions that
// nmap's dotmplsubst → substvar → getsubstcommandargs (service_scan.cc) would fail on at match
// time, and the group numbers they use. A failed substitution makes nmap drop the whole field
// (dotmplsubst returns -1), silently for the user, which is why these are worth a warning.

import type { Span } from '../../grammar/ast';

/** SUBSTARGS_MAX_ARGS and SUBSTARGS_STRLEN (service_scan.cc). */
const MAX_ARGS = 5;
const STRLEN = 128;

export interface GroupRef {
  group: number;
  span: Span;
}

export interface TemplateProblem {
  message: string;
  span: Span;
}

export interface TemplateScan {
  refs: GroupRef[];
  problems: TemplateProblem[];
}

/** The message of `$0` (substvar refuses group 0). */
export const ZERO_GROUP = '$0 is not a capture group: nmap fails this substitution and drops the whole field. Groups are $1 to $9.';

type Arg = { kind: 'int'; value: number } | { kind: 'str'; value: string };

/** getsubstcommandargs: returns the arguments and the index after ")", or null where nmap returns -1. */
function readArgs(s: string, i: number): { args: Arg[]; end: number } | null {
  const args: Arg[] = [];
  while (i < s.length && s[i] !== ')') {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (s[i] === ')') break;
    if (s[i] === '"') {
      if (args.length === MAX_ARGS) return null;
      let v = '';
      for (;;) {
        i++;
        if (i >= s.length) break;
        if (s[i] === '"' && (s[i - 1] !== '\\' || s[i - 2] === '\\')) break;
        if (v.length >= STRLEN - 1) return null;
        v += s[i];
      }
      const unescaped = unescape(v);
      if (unescaped === null) return null;
      args.push({ kind: 'str', value: unescaped });
      i++;
      const next = s.slice(i).search(/[,)]/);
      if (next < 0) return null;
      i += next;
      if (s[i] === ',') i++;
    } else {
      // strtol(…, 0): decimal, 0x hex or 0 octal.
      const m = /^\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s.slice(i));
      if (!m) return null;
      const text = m[0].trim();
      const neg = text.startsWith('-');
      const body = text.replace(/^[+-]/, '');
      const v = body.startsWith('0x') || body.startsWith('0X') ? parseInt(body, 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : parseInt(body, 10);
      args.push({ kind: 'int', value: neg ? -v : v });
      i += m[0].length;
      const next = s.slice(i).search(/[,)]/);
      if (next < 0) return null;
      i += next;
      if (s[i] === ',') i++;
    }
  }
  if (s[i] === ')') i++;
  return { args, end: i };
}

/** cstring_unescape for substitution arguments; null when nmap would refuse the escaping. */
function unescape(v: string): string | null {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== '\\') {
      out += v[i];
      continue;
    }
    const c = v[++i];
    if (c === '\\') out += '\\';
    else if (c === '0') out += '\0';
    else if (c === 'n') out += '\n';
    else if (c === 'r') out += '\r';
    else if (c === 't') out += '\t';
    else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(v.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(v.slice(i + 1, i + 3), 16));
      i += 2;
    } else return null;
  }
  return out;
}

/**
 * Scan one template (the text between a field's delimiters, starting at document offset `base`)
 * the way substvar walks it: `$` + digit is a group, anything else must be a command NAME(args).
 */
/** What a template without any "$" yields; shared (and frozen) because most templates have none. */
const NOTHING: TemplateScan = Object.freeze({ refs: Object.freeze([]) as unknown as GroupRef[], problems: Object.freeze([]) as unknown as TemplateProblem[] });

export function scanTemplate(value: string, base: number): TemplateScan {
  if (!value.includes('$')) return NOTHING;
  const refs: GroupRef[] = [];
  const problems: TemplateProblem[] = [];
  let i = value.indexOf('$');
  while (i >= 0) {
    const c = value[i + 1];
    if (c !== undefined && c >= '0' && c <= '9') {
      const n = Number(c);
      const span = { start: base + i, end: base + i + 2 };
      if (n === 0) problems.push({ span, message: ZERO_GROUP });
      else refs.push({ group: n, span });
      i = value.indexOf('$', i + 2);
      continue;
    }
    const open = value.indexOf('(', i + 1);
    const name = open < 0 ? '' : value.slice(i + 1, open);
    if (open < 0 || name.length === 0 || name.length >= 16) {
      problems.push({
        span: { start: base + i, end: base + i + 1 },
        message: 'A "$" in a version field must start $1…$9 or $P(n), $SUBST(n,"from","to"), $I(n,">"): nmap fails this substitution and drops the whole field. (A literal dollar sign cannot be written.)',
      });
      i = value.indexOf('$', i + 1);
      continue;
    }
    const r = readArgs(value, open + 1);
    const end = r ? r.end : Math.max(value.indexOf(')', open) + 1, open + 1);
    const span = { start: base + i, end: base + end };
    const bad = (why: string): void => {
      problems.push({ span, message: `${why} nmap fails this substitution and drops the whole field.` });
    };
    const group = (a: Arg | undefined): void => {
      if (a?.kind !== 'int') return;
      if (a.value < 1 || a.value > 9) bad(`$${name}() names group ${a.value}; only groups 1 to 9 can be used.`);
      else refs.push({ group: a.value, span });
    };
    if (!r || r.args.length === 0) bad(`Malformed arguments of $${name}(…).`);
    else {
      const a = r.args;
      if (name === 'P') {
        if (a.length !== 1 || a[0].kind !== 'int') bad('$P() takes exactly one group number, like $P(1).');
        else group(a[0]);
      } else if (name === 'SUBST') {
        if (a.length !== 3 || a[0].kind !== 'int' || a[1].kind !== 'str' || a[2].kind !== 'str') bad('$SUBST() takes a group number and two strings, like $SUBST(1,"_",".").');
        else group(a[0]);
      } else if (name === 'I') {
        if (a.length !== 2 || a[0].kind !== 'int' || a[1].kind !== 'str' || (a[1].value !== '>' && a[1].value !== '<')) {
          bad('$I() takes a group number and ">" (big-endian) or "<" (little-endian), like $I(1,">").');
        } else group(a[0]);
      } else bad(`Unknown substitution command $${name}(): nmap knows $P(), $SUBST() and $I().`);
    }
    i = value.indexOf('$', Math.max(end, i + 1));
  }
  return { refs, problems };
}
