// A table literal held in a `local` and assigned to options (`local tls = { … }; ssl = tls; https_ssl = tls`): the
// way to share one table, which on 13.0 an option read back (`https_ssl = ssl`) is not. Prosody receives the literal,
// so its keys are judged as if written in place. Only where the literal is surely what each option gets: the name
// is declared once, at the top level of the chunk, and appears nowhere but as the whole right-hand side of an option
// written after it (no `tls.protocol = …`, no `f(tls)`, no second declaration that might shadow it).
import type * as ast from 'luaparse';

export interface SharedTable {
  readonly table: ast.TableConstructorExpression;
  /** End of the declaration (chunk offsets): an option written before it gets nil or another value. */
  readonly after: number;
}

const NONE: ReadonlyMap<string, SharedTable> = new Map();

/** The chunk's shared table literals by local name (most chunks declare none: nothing is walked then). */
export function sharedTables(chunk: ast.Chunk): ReadonlyMap<string, SharedTable> {
  const found = new Map<string, SharedTable>();
  for (const st of chunk.body) {
    if (st.type !== 'LocalStatement') continue;
    st.variables.forEach((v, i) => {
      const init = st.init[i];
      if (init?.type === 'TableConstructorExpression') found.set(v.name, { table: init, after: (st as { range?: [number, number] }).range?.[1] ?? Infinity });
    });
  }
  if (!found.size) return NONE;
  // Each Identifier of a candidate name, and where it may stand: its declaration, or an option's whole value. Not a
  // field of a table (`{ x = tls }`) nor a local's value (`a = tls` with `local a`): an alias the table may be changed
  // through (a reviewer's instrumented run: `a.protocol = …` reached Prosody). The table form's options
  // (`VirtualHost "x" { ssl = tls }`) are fields too, and left alone with them.
  const locals = new Set<string>();
  walk(chunk, (node) => {
    if (node.type === 'LocalStatement') for (const v of node.variables) locals.add(v.name);
  });
  const allowed = new Set<ast.Node>();
  const declarations = new Map<string, number>();
  const uses: ast.Identifier[] = [];
  walk(chunk, (node) => {
    if (node.type === 'LocalStatement') {
      for (const v of node.variables) {
        if (found.has(v.name)) {
          declarations.set(v.name, (declarations.get(v.name) ?? 0) + 1);
          allowed.add(v);
        }
      }
    } else if (node.type === 'AssignmentStatement') {
      node.variables.forEach((v, i) => {
        const init = node.init[i];
        if (v.type === 'Identifier' && !locals.has(v.name) && init?.type === 'Identifier') allowed.add(init);
      });
    } else if (node.type === 'FunctionDeclaration' || node.type === 'ForGenericStatement' || node.type === 'ForNumericStatement') {
      // A parameter or loop variable of the same name shadows it there: not followed.
      const names = node.type === 'FunctionDeclaration' ? node.parameters : node.type === 'ForGenericStatement' ? node.variables : [node.variable];
      for (const p of names) if (p.type === 'Identifier' && found.has(p.name)) declarations.set(p.name, 2);
      if (node.type === 'FunctionDeclaration' && node.identifier?.type === 'Identifier' && found.has(node.identifier.name)) declarations.set(node.identifier.name, 2);
    } else if (node.type === 'Identifier' && found.has(node.name)) {
      uses.push(node);
    }
  });
  for (const u of uses) if (!allowed.has(u)) found.delete(u.name);
  for (const [name, n] of declarations) if (n > 1) found.delete(name);
  return found.size ? found : NONE;
}

/** Every node of the tree, parents first. */
function walk(node: ast.Node, visit: (node: ast.Node) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === 'range' || key === 'loc') continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const c of child) if (c && typeof c === 'object' && 'type' in c) walk(c as ast.Node, visit);
    } else if (child && typeof child === 'object' && 'type' in child) walk(child as ast.Node, visit);
  }
}
