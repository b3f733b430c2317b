-- prosody-ssl: version=0.12
-- Parses and starts, but weakens TLS in ways that are easy to miss in review.

admins = { "admin@example.org" }

modules_enabled = { "roster"; "saslauth"; "tls"; "dialback"; }

-- Lets clients and servers talk in clear text.
c2s_require_encryption = false
s2s_require_encryption = false

ssl = {
	-- "tlsv1_2" without "+" means exactly TLS 1.2: TLS 1.3 is switched off.
	protocol = "tlsv1_2";
	-- RC4, DES and export suites are broken; "ALL" also brings in anonymous suites.
	ciphers = "ALL:RC4:DES:EXP";
	-- Not flagged here: in the global ssl this is Prosody's own default for clients, and
	-- since 0.12 Prosody's s2s layer asks servers for certificates on top of it. Written in a
	-- VirtualHost's ssl or in s2s_ssl it would switch server certificate checks off (verify-none-s2s).
	verify = "none";
	-- A typo: LuaSec ignores unknown keys, so this does nothing.
	cafle = "/etc/ssl/certs/ca-certificates.crt";
	-- Both flags do nothing with OpenSSL 1.1.0 and later; they only look like hardening.
	options = { "no_sslv2", "single_dh_use" };
}

VirtualHost "example.org"
	ssl = {
		-- SSLv3 is long broken and refused by every current LuaSec.
		protocol = "sslv3";
	}
