// A real editor nobody here wrote: Debian's Neovim, headless, with its built-in LSP client,
// opens a probes file with our bundled server, waits for diagnostics, and asks for a hover. The
// Lua script writes what Neovim received to a JSON file that this test reads.

import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildServer, ROOT } from './build';

function nvimPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v nvim'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nvim is not installed: apt-get install -y neovim (listed in .ci/apt-packages.txt)');
  }
}

const INIT_LUA = String.raw`
local server, file, out = _G.nsp_server, _G.nsp_file, _G.nsp_out
local result = { diagnostics = {}, hover = nil, errors = {} }
local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'nsp',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  on_error = function(code, err) table.insert(result.errors, tostring(code) .. ' ' .. tostring(err)) end,
})
vim.lsp.buf_attach_client(buf, client_id)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not ok then table.insert(result.errors, 'no diagnostics within 20 s') end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, message = d.message, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
end
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = _G.nsp_hover_line, character = _G.nsp_hover_col } }
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000)
if responses then
  for _, r in pairs(responses) do
    if r.result then result.hover = r.result.contents end
    if r.err then table.insert(result.errors, vim.inspect(r.err)) end
  end
else
  table.insert(result.errors, 'no hover answer within 20 s')
end
vim.lsp.stop_client(client_id, true)
finish()
`;

describe('Neovim (Debian, headless) with the built-in LSP client', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    buildServer();
    dir = mkdtempSync(path.join(tmpdir(), 'nsp-nvim-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gets diagnostics and a hover from nsp-language-server', async () => {
    const nvim = nvimPath();
    const file = path.join(dir, 'nmap-service-probes');
    copyFileSync(path.join(ROOT, 'test', 'fixtures', 'e2e', 'mistakes.nsp'), file);
    const lines = readFileSync(file, 'utf8').split('\n');
    const hoverLine = lines.findIndex((l) => l.startsWith('rarity 12'));
    const out = path.join(dir, 'result.json');
    const init = path.join(dir, 'init.lua');
    writeFileSync(init, INIT_LUA);
    const setup = `lua _G.nsp_server=${JSON.stringify(path.join(ROOT, 'dist', 'server.js'))} _G.nsp_file=${JSON.stringify(file)} _G.nsp_out=${JSON.stringify(out)} _G.nsp_hover_line=${hoverLine} _G.nsp_hover_col=1`;
    const child = spawn(nvim, ['--headless', '--clean', '-n', '-i', 'NONE', '--cmd', setup, '-c', `luafile ${init}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 90000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    assert.ok(existsSync(out), `nvim wrote no result (exit ${code}); stderr: ${stderr}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      diagnostics: { lnum: number; message: string }[];
      hover: { kind?: string; value?: string } | null;
      errors: string[];
    };
    assert.deepEqual(result.errors, []);
    assert.ok(result.diagnostics.some((d) => d.lnum === hoverLine), `a diagnostic on the rarity line; got ${JSON.stringify(result.diagnostics)}`);
    assert.match(result.hover?.value ?? '', /\*\*rarity\*\*/);
  });
});
