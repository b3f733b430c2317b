// Values that must never be shown: a TLS key's `password`, and the secrets other modules read from the same
// config (`component_secret`, `ldap_password`, `sql = { password = … }`, `turn_external_secret`, …). Hovers,
// the outline and diagnostic messages render values; each goes through here first.

const SECRET = /(?:^|_)(?:pass|passwd|password|passphrase|secret|token|credentials?)(?:_|$)/i;

/** What is shown in place of a secret value. */
export const HIDDEN = '(hidden)';

/** True when an option or table key holds a secret (its value is never rendered). */
export function isSecretName(name: string | number): boolean {
  return typeof name === 'string' && SECRET.test(name);
}
