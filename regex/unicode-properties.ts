// The Unicode property names PCRE2 accepts after \p / \P (get_ucp() in pcre2_compile.c, looked up
// in its utt table), for the two versions nsp models. PCRE2 folds the name to lower case and drops
// "_", "-" and white space before looking it up, so the names here are in that folded form.
//
// The list is data (Unicode's property and script names and PCRE2's own extras such as "any",
// "l&", "xan"), taken from the utt table of PCRE2 10.42 (src/pcre2_ucptables.c) and 10.47
// (src/pcre2_ucptables_inc.h). Written as words: a leading "*" marks a script name (which is all
// that \p{sc:…} / \p{scx:…} accept), a leading "+" a name only 10.47 knows (Unicode 15/16 additions).

const WORDS = [
  '*adlam *adlm *aghb ahex *ahom alpha alphabetic *anatolianhieroglyphs any *arab *arabic *armenian',
  '*armi *armn ascii asciihexdigit *avestan *avst *bali *balinese *bamu *bamum *bass *bassavah',
  '*batak *batk *beng *bengali *bhaiksuki *bhks bidial bidian bidib bidibn bidic bidicontrol bidics',
  'bidien bidies bidiet bidifsi bidil bidilre bidilri bidilro bidim bidimirrored bidinsm bidion',
  'bidipdf bidipdi bidir bidirle bidirli bidirlo bidis bidiws *bopo *bopomofo *brah *brahmi *brai',
  '*braille *bugi *buginese *buhd *buhid c *cakm *canadianaboriginal *cans *cari *carian cased',
  'caseignorable *caucasianalbanian cc cf *chakma *cham changeswhencasefolded changeswhencasemapped',
  'changeswhenlowercased changeswhentitlecased changeswhenuppercased *cher *cherokee *chorasmian',
  '*chrs ci cn co *common *copt *coptic *cpmn *cprt cs *cuneiform cwcf cwcm cwl cwt cwu *cypriot',
  '*cyprominoan *cyrillic *cyrl dash defaultignorablecodepoint dep deprecated *deseret *deva',
  '*devanagari di dia diacritic *diak *divesakuru *dogr *dogra *dsrt *dupl *duployan ebase ecomp',
  '*egyp *egyptianhieroglyphs *elba *elbasan *elym *elymaic emod emoji emojicomponent emojimodifier',
  'emojimodifierbase emojipresentation epres *ethi *ethiopic ext extendedpictographic extender',
  'extpict +*gara +*garay *geor *georgian *glag *glagolitic *gong *gonm *goth *gothic *gran',
  '*grantha graphemebase graphemeextend graphemelink grbase *greek *grek grext grlink *gujarati',
  '*gujr +*gukh *gunjalagondi *gurmukhi *guru +*gurungkhema *han *hang *hangul *hani',
  '*hanifirohingya *hano *hanunoo *hatr *hatran *hebr *hebrew hex hexdigit *hira *hiragana *hluw',
  '*hmng *hmnp *hung idc +idcompatmathcontinue +idcompatmathstart idcontinue ideo ideographic ids',
  'idsb idsbinaryoperator idst idstart idstrinaryoperator +idsu +idsunaryoperator *imperialaramaic',
  '+incb *inherited *inscriptionalpahlavi *inscriptionalparthian *ital *java *javanese joinc',
  'joincontrol *kaithi *kali *kana *kannada *katakana +*kawi *kayahli *khar *kharoshthi',
  '*khitansmallscript *khmer *khmr *khoj *khojki *khudawadi +*kiratrai *kits *knda +*krai *kthi l',
  'l& *lana *lao *laoo *latin *latn lc *lepc *lepcha *limb *limbu *lina *linb *lineara *linearb',
  '*lisu ll lm lo loe logicalorderexception lower lowercase lt lu *lyci *lycian *lydi *lydian m',
  '*mahajani *mahj *maka *makasar *malayalam *mand *mandaic *mani *manichaean *marc *marchen',
  '*masaramgondi math mc +mcm me *medefaidrin *medf *meeteimayek *mend *mendekikakui *merc *mero',
  '*meroiticcursive *meroitichieroglyphs *miao *mlym mn *modi +modifiercombiningmark *mong',
  '*mongolian *mro *mroo *mtei *mult *multani *myanmar *mymr n *nabataean +*nagm +*nagmundari *nand',
  '*nandinagari *narb *nbat nchar nd *newa *newtailue *nko *nkoo nl no noncharactercodepoint *nshu',
  '*nushu *nyiakengpuachuehmong *ogam *ogham *olchiki *olck *oldhungarian *olditalic',
  '*oldnortharabian *oldpermic *oldpersian *oldsogdian *oldsoutharabian *oldturkic *olduyghur',
  '+*olonal +*onao *oriya *orkh *orya *osage *osge *osma *osmanya *ougr p *pahawhhmong *palm',
  '*palmyrene patsyn patternsyntax patternwhitespace patws *pauc *paucinhau pc pcm pd pe *perm pf',
  '*phag *phagspa *phli *phlp *phnx *phoenician pi *plrd po prependedconcatenationmark *prti ps',
  '*psalterpahlavi *qaac *qaai qmark quotationmark radical regionalindicator *rejang ri *rjng *rohg',
  '*runic *runr s *samaritan *samr *sarb *saur *saurashtra sc sd sentenceterminal *sgnw *sharada',
  '*shavian *shaw *shrd *sidd *siddham *signwriting *sind *sinh *sinhala sk sm so softdotted *sogd',
  '*sogdian *sogo *sora *sorasompeng *soyo *soyombo space sterm *sund *sundanese +*sunu +*sunuwar',
  '*sylo *sylotinagri *syrc *syriac *tagalog *tagb *tagbanwa *taile *taitham *taiviet *takr *takri',
  '*tale *talu *tamil *taml *tang *tangsa *tangut *tavt *telu *telugu term terminalpunctuation',
  '*tfng *tglg *thaa *thaana *thai *tibetan *tibt *tifinagh *tirh *tirhuta *tnsa +*todhri +*todr',
  '*toto +*tulutigalari +*tutg *ugar *ugaritic uideo unifiedideograph *unknown upper uppercase *vai',
  '*vaii variationselector *vith *vithkuqi vs *wancho *wara *warangciti *wcho whitespace wspace xan',
  'xidc xidcontinue xids xidstart *xpeo xps xsp *xsux xuc xwd *yezi *yezidi *yi *yiii z',
  '*zanabazarsquare *zanb *zinh zl zp zs *zyyy *zzzz'
].join(' ');

/** name → bit 1 script, bit 2 only in 10.47. Built on first use. */
let table: Map<string, number> | null = null;

function entries(): Map<string, number> {
  if (table !== null) return table;
  table = new Map();
  for (let w of WORDS.split(' ')) {
    let bits = 0;
    if (w.startsWith('+')) { bits |= 2; w = w.slice(1); }
    if (w.startsWith('*')) { bits |= 1; w = w.slice(1); }
    table.set(w, bits);
  }
  return table;
}

/**
 * Whether PCRE2 knows the property `name` (already folded: lower case, no "_", "-" or spaces).
 * `separator` is the index of the first ":" or "=" in it (−1 when there is none): the
 * `bc:…`/`bidiclass:…`, `sc:…`/`script:…` and `scx:…`/`scriptextensions:…` forms.
 */
export function knownProperty(name: string, separator: number, v47: boolean): boolean {
  const t = entries();
  let key = name;
  let scriptOnly = false;
  if (separator >= 0) {
    const kind = name.slice(0, separator);
    const value = name.slice(separator + 1);
    if (kind === 'bidiclass' || kind === 'bc') key = 'bidi' + value;
    else if (kind === 'script' || kind === 'sc' || kind === 'scriptextensions' || kind === 'scx') { key = value; scriptOnly = true; }
    else return false;
  }
  const bits = t.get(key);
  if (bits === undefined || ((bits & 2) !== 0 && !v47)) return false;
  return !scriptOnly || (bits & 1) !== 0;
}
