-- Neovim's own LSP client (the 0.7 API) applying elmo's quick fixes, run by
-- tests/it/lsp_nav.rs as
--
--   ELMO=… MODEL=… OUT=… TITLES='first title|second title' nvim --headless --clean -u NONE \
--     -c 'luafile tests/nvim/quickfix.lua'
--
-- It opens MODEL and, for each title in turn, does what `vim.lsp.buf.code_action()` does on
-- the line of an elmo diagnostic: asks for the code actions of the cursor's range with the
-- line's diagnostics as context, applies the chosen action's workspace edit through Neovim's
-- own `apply_workspace_edit`, and waits for the diagnostic it fixes to go. Then it writes the
-- buffer and records what it saw in OUT as JSON; the Rust test checks the file on disk.

local out = { applied = {} }

local function finish(status)
  local f = assert(io.open(os.getenv('OUT'), 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd(status == 0 and 'qall!' or 'cquit! ' .. status)
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('MODEL')))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'elmo',
    cmd = { os.getenv('ELMO'), 'lsp' },
    root_dir = vim.fn.fnamemodify(os.getenv('MODEL'), ':h'),
  })
  assert(client_id, 'elmo lsp did not start')
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  local function elmo_diagnostics()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'elmo' then
        table.insert(found, d)
      end
    end
    return found
  end

  assert(vim.wait(20000, function() return #elmo_diagnostics() > 0 end, 20), 'no diagnostics')

  -- The code actions Neovim would offer with the cursor on diagnostic `d`.
  local function actions_at(d)
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    local params = vim.lsp.util.make_range_params()
    params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) }
    local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
    local found = {}
    for _, answer in pairs(answers or {}) do
      for _, action in ipairs(answer.result or {}) do
        table.insert(found, action)
      end
    end
    return found
  end

  for title in string.gmatch(os.getenv('TITLES'), '[^|]+') do
    local chosen, fixed
    for _, d in ipairs(elmo_diagnostics()) do
      for _, action in ipairs(actions_at(d)) do
        if action.title == title then
          chosen, fixed = action, action.diagnostics[1].message
        end
      end
      if chosen then
        break
      end
    end
    assert(chosen, 'no code action titled ' .. title)
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
    local gone = vim.wait(20000, function()
      for _, d in ipairs(elmo_diagnostics()) do
        if d.message == fixed then
          return false
        end
      end
      return true
    end, 20)
    table.insert(out.applied, { title = title, kind = chosen.kind, fixed = fixed, gone = gone })
  end

  vim.cmd('write')
  vim.lsp.stop_client(client_id)
  finish(0)
end

local ok, err = pcall(run)
if not ok then
  out.error = tostring(err)
  finish(3)
end
