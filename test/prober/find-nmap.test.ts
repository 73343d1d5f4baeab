// Which nmap --verify-with-nmap runs: a bare name is looked up on PATH as a shell would (the
// editor's setting defaults to "nmap"), a name with a slash is a path.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNmap } from '../../prober/nmap-verify';

describe('prober: findNmap', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nsp-find-nmap-'));
    for (const [sub, name] of [['a', 'nmap'], ['b', 'nmap-dev']]) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, name), '#!/bin/sh\n');
      chmodSync(join(dir, sub, name), 0o755);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('looks a bare name up on PATH, in PATH order', () => {
    const path = [join(dir, 'missing'), join(dir, 'b'), join(dir, 'a')].join(':');
    assert.equal(findNmap('nmap', path), join(dir, 'a', 'nmap'));
    assert.equal(findNmap(undefined, path), join(dir, 'a', 'nmap'));
    assert.equal(findNmap('nmap-dev', path), join(dir, 'b', 'nmap-dev'));
    assert.equal(findNmap('nmap-none', path), undefined);
  });

  it('takes a name with a slash as a path, not looked up on PATH', () => {
    assert.equal(findNmap(join(dir, 'b', 'nmap-dev'), ''), join(dir, 'b', 'nmap-dev'));
    assert.equal(findNmap('./nmap', join(dir, 'a')), undefined);
  });

  it('finds the nmap CI installs', () => {
    assert.equal(findNmap('nmap', '/usr/local/bin:/usr/bin'), '/usr/bin/nmap');
  });
});
