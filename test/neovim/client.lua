-- A second, real LSP client for our server: headless Neovim (Debian 12 ships 0.7, which has
-- vim.lsp.start_client but not vim.lsp.start). Starts `node dist/server.js --stdio`, opens a config,
-- waits for the diagnostics the server pushes, asks for completion and hover, writes what it got as
-- JSON, and quits. Errors are written into the JSON too, so the test can show them.
--
-- Environment: PROSODY_SSL_NODE, PROSODY_SSL_SERVER, PROSODY_SSL_CONFIG, PROSODY_SSL_OUT,
-- PROSODY_SSL_COMPLETE_AT / PROSODY_SSL_HOVER_AT ("line:character", 0-based, UTF-16).

local out_path = os.getenv('PROSODY_SSL_OUT')
local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }

local function write_and_quit()
  local f = io.open(out_path, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function position(spec)
  local l, c = spec:match('^(%d+):(%d+)$')
  return { line = tonumber(l), character = tonumber(c) }
end

local function main()
  local config = os.getenv('PROSODY_SSL_CONFIG')
  local client_id = vim.lsp.start_client({
    name = 'prosody-ssl',
    cmd = { os.getenv('PROSODY_SSL_NODE'), os.getenv('PROSODY_SSL_SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(config, ':h'),
    init_options = { prosodyVersion = '13.0' },
  })
  if not client_id then
    result.error = 'vim.lsp.start_client returned nil'
    return
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(config))
  vim.bo.filetype = 'prosody'
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)

  result.initialized = vim.wait(15000, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c ~= nil and c.initialized == true
  end, 50)
  local c = vim.lsp.get_client_by_id(client_id)
  if not result.initialized then
    result.error = 'the server did not initialize within 15 s (see :LspLog)'
    return
  end
  result.server_name = c and c.server_capabilities and c.server_capabilities.completionProvider and 'has-completion' or 'no-completion'

  result.got_diagnostics = vim.wait(15000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = code,
    })
  end

  local uri = vim.uri_from_bufnr(bufnr)
  local completion = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = position(os.getenv('PROSODY_SSL_COMPLETE_AT')),
    context = { triggerKind = 1 },
  }, 15000)
  result.completion = {}
  for _, resp in pairs(completion or {}) do
    if resp.error then result.completion_error = resp.error.message end
    local items = resp.result and (resp.result.items or resp.result) or {}
    for _, item in ipairs(items) do table.insert(result.completion, item.label) end
  end

  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = position(os.getenv('PROSODY_SSL_HOVER_AT')),
  }, 15000)
  for _, resp in pairs(hover or {}) do
    local contents = resp.result and resp.result.contents
    if type(contents) == 'table' then result.hover = contents.value or vim.fn.json_encode(contents) end
  end

  -- A clean shutdown: the server must answer `shutdown` and exit on `exit`.
  vim.lsp.stop_client(client_id)
  result.stopped = vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end

local ok, err = pcall(main)
if not ok then result.error = tostring(err) end
write_and_quit()
