-- prosody-ssl: version=13.0
-- Does not load: Lua stops at the first syntax error (a missing comma between table fields).

VirtualHost "example.org"
	ssl = {
		protocol = "tlsv1_2+"
		ciphers = "HIGH:!aNULL";
	}
