// Values that must never be shown: a TLS key's `password` (also misspelt: an unknown key is still the user's
// secret), the secrets other modules read from the same config (`component_secret`, `ldap_password`,
// `sql = { password = … }`, `oauth2_registration_key`, `captcha_private_key`, …), and key material pasted where
// a path belongs. Hovers, the outline and diagnostic messages render values; each goes through here first.

// Broad on purpose: hiding a harmless value costs little, showing a secret cannot be undone.
const SECRET = /pa?s+w|pwd|secret|token|credential|private_?key|registration_key|api_?key|(?:^|_)(?:pw|pass)(?:_|$)/i;

/** What is shown in place of a secret value. */
export const HIDDEN = '(hidden)';

/** True when an option or table key holds a secret (its value is never rendered). */
export function isSecretName(name: string | number): boolean {
  return typeof name === 'string' && SECRET.test(name);
}

/**
 * True when a string is key material rather than a path: PEM text, or a long run of base64 (a PEM body pasted
 * without its header). Base64 bodies have no dot, mix cases and digits, and rarely a `/`; paths are made of short parts.
 */
export function looksLikeKeyMaterial(value: string): boolean {
  if (value.includes('-----BEGIN')) return true;
  if (value.length < 64 || !/^[A-Za-z0-9+/=\s]+$/.test(value) || value.startsWith('/')) return false;
  // Base64 has a `/` about once in 64 characters; a path's segments between them are short.
  let longest = 0;
  for (let i = 0, from = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === '/') {
      longest = Math.max(longest, i - from);
      from = i + 1;
    }
  }
  return longest >= 40 && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
}

/** A string value as it may be shown: PEM text by its first line only, other key material not at all. */
export function shownString(value: string): string {
  const pem = /-----BEGIN [A-Z0-9 ]+-----/.exec(value);
  if (pem) return `"${pem[0]}…" (PEM text)`;
  return looksLikeKeyMaterial(value) ? '(hidden: key material)' : JSON.stringify(value);
}
