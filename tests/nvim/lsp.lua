-- Neovim's own LSP client (the 0.7 API, as Debian ships it) against `elmo lsp`, run by
-- tests/it/lsp_server.rs as
--
--   ELMO=… MODEL=… OUT=… nvim --headless --clean -u NONE -c 'luafile tests/nvim/lsp.lua'
--
-- It opens MODEL (which misspells a `leads_to` id), waits for elmo's diagnostic, asks for
-- completion just inside `leads_to: [`, fixes the id by editing the buffer (so Neovim sends an
-- incremental change), waits for the diagnostic to go, writes the buffer, and records what it
-- saw in OUT as JSON for the Rust test to check.

local out = {}

local function finish(status)
  local f = assert(io.open(os.getenv('OUT'), 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd(status == 0 and 'qall!' or 'cquit! ' .. status)
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('MODEL')))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'elmo',
    cmd = { os.getenv('ELMO'), 'lsp' },
    root_dir = vim.fn.fnamemodify(os.getenv('MODEL'), ':h'),
  })
  assert(client, 'elmo lsp did not start')
  vim.lsp.buf_attach_client(buf, client)

  local function elmo_diagnostics()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'elmo' then
        table.insert(found, d)
      end
    end
    return found
  end

  out.diagnostic_arrived = vim.wait(20000, function() return #elmo_diagnostics() > 0 end, 20)
  out.diagnostics = {}
  for _, d in ipairs(elmo_diagnostics()) do
    table.insert(out.diagnostics, {
      code = d.code,
      line = d.lnum,
      col = d.col,
      message = d.message,
      severity = d.severity,
    })
  end

  -- Completion just inside the `[` of the misspelt `leads_to`.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local row, col
  for i, line in ipairs(lines) do
    local s = line:find('leads_to: [', 1, true)
    if s and line:find('sesions', 1, true) then
      row, col = i, s + #'leads_to: [' - 1
    end
  end
  assert(row, 'no misspelt leads_to in the model')
  vim.api.nvim_win_set_cursor(0, { row, col })
  local params = vim.lsp.util.make_position_params()
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 10000)
  out.completion = {}
  for _, answer in pairs(answers or {}) do
    local items = answer.result and (answer.result.items or answer.result) or {}
    for _, item in ipairs(items) do
      table.insert(out.completion, { label = item.label, detail = item.detail })
    end
  end

  -- Fix the id in the buffer, as a person would, and save.
  local fixed_line = lines[row]:gsub('sesions', 'sessions', 1)
  vim.api.nvim_buf_set_lines(buf, row - 1, row, false, { fixed_line })
  out.diagnostic_cleared = vim.wait(20000, function()
    for _, d in ipairs(elmo_diagnostics()) do
      if d.code == 'unknown-reference' then
        return false
      end
    end
    return true
  end, 20)
  vim.cmd('write')
  vim.lsp.stop_client(client)
  finish(0)
end

local ok, err = pcall(run)
if not ok then
  out.error = tostring(err)
  finish(3)
end
