-- Oracle probe: asks the real LuaSec (through Prosody's own code) whether one `ssl` table yields a TLS context.
--
-- Usage: lua5.4 probe.lua MODE WORKDIR CASE_SOURCE [TLS_PROFILE]
--   MODE        raw       : base {mode="server", protocol="any", key=KEY, certificate=CERT} overlaid with the case
--                           (a field set to NIL is removed), handed straight to ssl.newcontext (facts §4.6 setup).
--               sslconfig : the same neutral base, then the case, merged by Prosody's util.sslconfig and post-processed
--                           as Prosody 0.12's core/certmanager.lua create_context does (see build_sslconfig).
--               prosody   : Prosody's real certmanager.create_context("localhost", "server", case) with its built-in
--                           defaults, the tls_profile preset (TLS_PROFILE, default "intermediate") and a global
--                           ssl = { certificate = CERT, key = KEY }.
--   WORKDIR     directory holding key.pem and cert.pem (a matching RSA pair made by the caller); also the "config dir".
--   CASE_SOURCE a Lua expression, normally a table constructor. It may use KEY, CERT (absolute paths of the pair),
--               NIL (raw mode only) and the math/string libraries.
--
-- Prints exactly one line on stdout:
--   OK | RETURNED <message> | THROWN <message> | ERROR <message>   (ERROR = the probe itself could not run the case)
-- Newlines in messages are escaped as \n. Paths of LuaSec, Prosody and WORKDIR are replaced by <luasec>, <prosody>,
-- <work> so results are comparable across machines. One process per case: LuaSec reads the OpenSSL error queue
-- without clearing it, so a failure in an earlier case could leak its reason into a later message.
-- With ORACLE_DUMP=1 the final LuaSec table (paths and scalars only, never file contents) is printed on stderr.

local PROSODY_DIR = "/usr/lib/prosody"
package.path = PROSODY_DIR .. "/?.lua;" .. package.path
package.cpath = PROSODY_DIR .. "/?.so;" .. package.cpath

local mode, workdir, case_source, profile = arg[1], arg[2], arg[3], arg[4]

local function escape_line(s)
	return (tostring(s):gsub("\\", "\\\\"):gsub("\r", "\\r"):gsub("\n", "\\n"))
end

local function plain_gsub(s, find, repl)
	if not find or find == "" then return s end
	local pattern = find:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")
	return (s:gsub(pattern, (repl:gsub("%%", "%%%%"))))
end

local function finish(kind, message)
	local line = kind
	if message ~= nil then line = line .. " " .. escape_line(message) end
	io.write(line, "\n")
	io.stdout:flush()
	os.exit(0)
end

if not (mode and workdir and case_source) then
	finish("ERROR", "usage: lua5.4 probe.lua MODE WORKDIR CASE_SOURCE [TLS_PROFILE]")
end

local ok_ssl, ssl = pcall(require, "ssl")
if not ok_ssl then finish("ERROR", "LuaSec not loadable: " .. tostring(ssl)) end

local luasec_file = package.searchpath("ssl", package.path) or ""
local luasec_dir = luasec_file:match("^(.*)/[^/]*$") or ""

local function normalise(message)
	local s = tostring(message)
	s = plain_gsub(s, luasec_dir, "<luasec>")
	s = plain_gsub(s, PROSODY_DIR, "<prosody>")
	s = plain_gsub(s, workdir, "<work>")
	return s
end

local KEY = workdir .. "/key.pem"
local CERT = workdir .. "/cert.pem"
local NIL = setmetatable({}, { __name = "NIL", __tostring = function() return "NIL" end })

local env = { KEY = KEY, CERT = CERT, NIL = NIL, math = math, string = string }
local chunk, load_err = load("return " .. case_source, "=case", "t", env)
if not chunk then finish("ERROR", "case does not parse: " .. load_err) end
local ok_case, case = pcall(chunk)
if not ok_case then finish("ERROR", "case source raised: " .. tostring(case)) end

local function contains_nil_marker(t)
	if type(t) ~= "table" then return false end
	for _, v in pairs(t) do if v == NIL then return true end end
	return false
end
if mode ~= "raw" and contains_nil_marker(case) then
	finish("ERROR", "NIL is only meaningful in raw mode")
end

local function dump(cfg)
	if os.getenv("ORACLE_DUMP") ~= "1" or type(cfg) ~= "table" then return end
	local keys = {}
	for k in pairs(cfg) do keys[#keys + 1] = tostring(k) end
	table.sort(keys)
	for _, k in ipairs(keys) do
		local v = cfg[k]
		if v == nil then v = cfg[tonumber(k)] end
		local shown
		if type(v) == "table" then
			local items = {}
			for ik, iv in pairs(v) do items[#items + 1] = tostring(ik) .. "=" .. tostring(iv) end
			table.sort(items)
			shown = "{" .. table.concat(items, ", ") .. "}"
		elseif type(v) == "function" then
			shown = "<function>"
		else
			shown = type(v) .. ":" .. tostring(v)
		end
		io.stderr:write("CONFIG ", normalise(k), " = ", normalise(shown), "\n")
	end
end

local function neutral_base()
	return { mode = "server", protocol = "any", key = KEY, certificate = CERT }
end

-- raw: facts §4.6 — one table, no Prosody code involved.
local function run_raw()
	local cfg = neutral_base()
	if type(case) == "table" then
		for k, v in pairs(case) do
			if v == NIL then cfg[k] = nil else cfg[k] = v end
		end
	end
	dump(cfg)
	return ssl.newcontext(cfg)
end

-- sslconfig: Prosody 0.12.3 create_context (core/certmanager.lua) with its defaults/profile/auto-located
-- certificate layers replaced by the neutral base; every other step is the same, in the same order.
local function run_sslconfig()
	local sslconfig = require "util.sslconfig"
	local resolve_path = require "util.paths".resolve_relative_path
	local cfg = sslconfig.new()
	cfg:apply(neutral_base())
	cfg:apply({ mode = "server", password = function() end })
	cfg:apply(case)
	local final = cfg:final()
	dump(final)
	if final.certificate and not final.key then
		return nil, "No key present in SSL/TLS configuration for localhost"
	end
	for option in pairs({ key = true, certificate = true, cafile = true, capath = true, dhparam = true }) do
		if type(final[option]) == "string" then
			final[option] = resolve_path(workdir, final[option])
		else
			final[option] = nil
		end
	end
	if type(final.dhparam) == "string" then
		local f, err = io.open(final.dhparam)
		if not f then return nil, "Could not open DH parameters: " .. err end
		local dhparam = f:read("*a")
		f:close()
		final.dhparam = function() return dhparam end
	end
	local ctx, err = ssl.newcontext(final)
	-- Prosody re-applies the cipher list (a COMPAT path for old LuaSec); kept because it can fail on its own.
	if ctx and final.ciphers then
		local ssl_context = ssl.context or require "ssl.context"
		local success
		success, err = ssl_context.setcipher(ctx, final.ciphers)
		if not success then ctx = nil end
	end
	if not ctx then err = err or "invalid ssl config" end
	return ctx, err
end

-- prosody: the real core.certmanager with an in-memory config (no file, no network, no daemon).
local function run_prosody()
	prosody = { paths = { config = workdir }, events = { add_handler = function() end } }
	local configmanager = require "core.configmanager"
	configmanager.set("*", "tls_profile", profile or "intermediate")
	configmanager.set("*", "ssl", { certificate = CERT, key = KEY })
	local certmanager = require "core.certmanager"
	local ctx, err, final = certmanager.create_context("localhost", "server", case)
	dump(final)
	return ctx, err
end

local runners = { raw = run_raw, sslconfig = run_sslconfig, prosody = run_prosody }
local runner = runners[mode]
if not runner then finish("ERROR", "unknown mode " .. tostring(mode)) end

local ok, ctx, err = pcall(runner)
if not ok then finish("THROWN", normalise(ctx)) end
if ctx then finish("OK") end
finish("RETURNED", normalise(err))
