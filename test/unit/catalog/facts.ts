// Loads the shared ground-truth facts (../shared/reference/prosody-facts.json next to the repo root).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findValue, inRange, type ValueSetId } from '../../../server/src/service/catalog';

export const REPO_ROOT = resolve(__dirname, '../../../..');

const FACTS_PATH = process.env['PROSODY_FACTS'] ?? resolve(REPO_ROOT, '../shared/reference/prosody-facts.json');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const facts: any = JSON.parse(readFileSync(FACTS_PATH, 'utf8'));

export interface OracleCase {
  case: string;
  result: 'OK' | 'RETURNED' | 'THROWN';
  message: string;
}

export const oracleCases: OracleCase[] = facts.oracle_luasec_newcontext.cases;

/** LuaSec version the oracle was run with (Debian 12). */
export const ORACLE_LUASEC = '1.2.0';

/** True when LuaSec (the oracle's version) itself takes `name` for this set: known, not Prosody-only, not removed. */
export function luasecAccepts(set: ValueSetId, name: string): boolean {
  const v = findValue(set, name);
  if (!v || v.prosodyOnly) return false;
  return inRange(ORACLE_LUASEC, v.luasec);
}

/** `key="value"` → value; `key={a,b}` → [a, b]; other forms → undefined. */
export function caseValues(c: OracleCase, key: string): string[] | undefined {
  const str = new RegExp(`^${key}="([^"]*)"$`).exec(c.case);
  if (str) return [str[1]!];
  const list = new RegExp(`^${key}=\\{([^}]*)\\}$`).exec(c.case);
  if (list) return list[1]!.split(',').map((s) => s.trim());
  return undefined;
}
