-- prosody-ssl: version=13.0
-- A careful Prosody 13 setup: only TLS 1.2 and 1.3, encryption required on every stream,
-- and servers must prove who they are before we trust them.

admins = { "admin@example.org" }

modules_enabled = {
	"disco";
	"roster";
	"saslauth";
	"tls";
	"dialback";
	"ping";
}

-- "intermediate" is Prosody's default; "modern" would allow TLS 1.3 only.
tls_profile = "intermediate"

c2s_require_encryption = true
s2s_require_encryption = true
s2s_secure_auth = true

ssl = {
	protocol = "tlsv1_2+";
	options = { "cipher_server_preference", "no_compression" };
}

VirtualHost "example.org"
