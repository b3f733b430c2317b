// The four list operations of ssl_cipher_apply_rule (OpenSSL 3.0) over the internal suite list.
// The list holds every suite, active or not; positions of inactive suites matter because a later
// "add" appends them in list order, and "-" parks removed suites at the head for that reason.
import type { Suite } from './types';

export interface Node { readonly suite: Suite; active: boolean }
export type Pred = (s: Suite) => boolean;

export class CipherList {
  nodes: Node[];
  constructor(suites: readonly Suite[]) { this.nodes = suites.map((suite) => ({ suite, active: false })); }

  /** No prefix: append matching inactive suites to the end, activating them. */
  add(p: Pred): Suite[] { return this.moveToTail((n) => !n.active && p(n.suite)); }
  /** '+' prefix (and @STRENGTH): move matching active suites to the end. */
  order(p: Pred): Suite[] { return this.moveToTail((n) => n.active && p(n.suite)); }
  /** '-' prefix: deactivate matching active suites and move them to the head, keeping their order. */
  remove(p: Pred): Suite[] {
    const hit = this.nodes.filter((n) => n.active && p(n.suite));
    if (hit.length === 0) return [];
    const set = new Set(hit);
    this.nodes = [...hit, ...this.nodes.filter((n) => !set.has(n))];
    for (const n of hit) n.active = false;
    return hit.map((n) => n.suite);
  }
  /** '!' prefix: drop matching suites from the list for good (active or not). */
  kill(p: Pred): Suite[] {
    const hit = this.nodes.filter((n) => p(n.suite));
    const wasActive = hit.filter((n) => n.active).map((n) => n.suite);
    this.nodes = this.nodes.filter((n) => !p(n.suite));
    for (const n of hit) n.active = false;
    return wasActive;
  }
  /** @STRENGTH: stable sort of the active suites by key bits, strongest first (ssl_cipher_strength_sort). */
  strengthSort(): void {
    const bits = new Set(this.nodes.filter((n) => n.active).map((n) => n.suite.encBits));
    for (const b of [...bits].sort((x, y) => y - x)) this.order((s) => s.encBits === b);
  }
  active(): Suite[] { return this.nodes.filter((n) => n.active).map((n) => n.suite); }

  private moveToTail(test: (n: Node) => boolean): Suite[] {
    const hit = this.nodes.filter(test);
    if (hit.length === 0) return [];
    const set = new Set(hit);
    this.nodes = [...this.nodes.filter((n) => !set.has(n)), ...hit];
    for (const n of hit) n.active = true;
    return hit.map((n) => n.suite);
  }
}
