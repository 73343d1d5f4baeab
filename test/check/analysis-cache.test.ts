// The opt-in cache of regex verdicts: with it, every diagnostic is the same as without it, on
// nmap's own file and on an edit of it, and it never grows past its limit.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { AnalysisCache, checkDocument } from '../../engine/check/index';

const corpus = readFileSync(join(__dirname, '../../../shared/corpus/nmap-service-probes-7.93'), 'utf8');
const render = (text: string, cache?: AnalysisCache): string[] =>
  checkDocument(text, cache ? { analysisCache: cache } : {}).diagnostics.map((d) => `${d.span.start}-${d.span.end} ${d.code} ${d.message}`);

describe('check: analysis cache', function () {
  this.timeout(60000);

  it('gives the same diagnostics as no cache, first and again, and after an edit', () => {
    const cache = new AnalysisCache();
    const plain = render(corpus);
    assert.ok(plain.some((l) => l.includes('NSP115')), 'the 7.93 file has diagnostics to compare');
    assert.deepEqual(render(corpus, cache), plain);
    const size = cache.size;
    assert.ok(size > 10000, `one entry per distinct pattern, got ${size}`);
    assert.deepEqual(render(corpus, cache), plain);
    assert.equal(cache.size, size, 'a second check adds nothing');
    // An edit that breaks one pattern and makes another match the empty string.
    const lines = corpus.split('\n');
    const at = lines.flatMap((l, i) => (/^match \S+ m\|[^|]+\| /.test(l) ? [i] : [])).slice(0, 2);
    lines[at[0]] = lines[at[0]].replace(' m|', ' m|(');
    lines[at[1]] = lines[at[1]].replace(/ m\|[^|]+\|/, ' m|x*|');
    const edited = lines.join('\n');
    assert.notEqual(edited, corpus);
    const again = render(edited, cache);
    assert.deepEqual(again, render(edited));
    assert.ok(again.some((l) => l.includes('NSP201')) && again.some((l) => l.includes('NSP202')));
  });

  it('keeps at most its limit, and a check through a small cache still gives every diagnostic', () => {
    const cache = new AnalysisCache(100);
    assert.deepEqual(render(corpus, cache), render(corpus));
    assert.equal(cache.size, 100);
  });
});
