/**
 * The folder graph of src/: every relative import (static, `import type`, dynamic `import()`) as an
 * edge between rooms. No cycle between rooms; no room statically imports one that
 * architecture.config.js forbids it (the same table the lint rule reads); development code is
 * reached only by the composition root's dynamic import. Printed on failure: the files behind each edge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenImports } from '../../architecture.config.js';

const SRC = join(process.cwd(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The room of a file: its folder directly under src/, or its own name for a file there. */
function roomOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? (parts[0] ?? '').replace(/\.ts$/, '') : (parts[0] ?? '');
}

const IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** room → room → the imports (file: specifier) that make the edge; `dynamic` keeps only `import()`, `static` the others. */
function roomGraph(kind: 'all' | 'static' | 'dynamic' = 'all'): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const dynamic = (match[1] ?? '').startsWith('import') && (match[1] ?? '').includes('(');
      if ((kind === 'static' && dynamic) || (kind === 'dynamic' && !dynamic)) continue;
      const specifier = match[2] ?? '';
      const target = normalize(join(dirname(file), specifier));
      if (!target.startsWith(SRC + sep)) continue;
      const from = roomOf(file);
      const to = roomOf(target);
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${relative(process.cwd(), file)}: ${specifier}`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Strongly connected components with more than one room (Tarjan). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          onStack.delete(w);
          component.push(w);
        }
      } while (w !== undefined && w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('the rooms of src/', () => {
  const graph = roomGraph();
  const staticGraph = roomGraph('static');

  it('form no cycle: every room imports only rooms below it', () => {
    const found = cycles(graph).map((component) => ({
      rooms: component,
      edges: component.flatMap((a) => component.filter((b) => b !== a).flatMap((b) => graph.get(a)?.get(b) ?? [])),
    }));
    expect(found).toEqual([]);
  });

  it.each(Object.entries(forbiddenImports))('%s imports none of the rooms it must not', (room, forbidden) => {
    const violations = [...(staticGraph.get(room) ?? new Map<string, string[]>())].filter(([to]) => forbidden.includes(to)).flatMap(([, edges]) => edges);
    expect(violations).toEqual([]);
  });

  it('development code is loaded only by the composition root, by dynamic import', () => {
    const dynamicEdges = [...roomGraph('dynamic')].flatMap(([from, edges]) => [...edges.keys()].map((to) => `${from} -> ${to}`));
    expect(dynamicEdges.sort()).toEqual(['compose -> oidc', 'server -> dev']);
    const intoDev = [...staticGraph].filter(([from, edges]) => from !== 'cli' && edges.has('dev')).map(([from]) => from);
    expect(intoDev).toEqual([]);
  });

  it('the OpenID Connect bridge (and oidc-provider with it) is loaded only by the composition root, by dynamic import; other rooms reach only its port', () => {
    const intoOidc = [...staticGraph].flatMap(([from, edges]) => (edges.get('oidc') ?? []).map((edge) => `${from}: ${edge}`));
    expect(intoOidc.filter((edge) => !edge.endsWith('/oidc/ports.ts'))).toEqual([]);
  });

  it('pure rooms keep no module-level mutable state: caches are passed in (formats/caches.ts)', () => {
    const pure = ['formats', 'trust', 'status', 'query', 'use-cases', 'jose', 'cose', 'cbor'];
    // Memos keyed by objects (freed with them) and one reused ECDH scratch object hold no data between requests.
    const allowed = new Set(['src/trust/certificate-cache.ts: importedKeys', 'src/jose/jws-algorithms.ts: usableKeys', 'src/jose/jwe-ecdh-es.ts: shared', 'src/trust/validate-issuer-chain.ts: frozenKeys']);
    const found = sourceFiles(SRC)
      .filter((file) => pure.includes(roomOf(file)))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/^(?:export )?(?:let|var) (\w+)|^(?:export )?const (\w+)(?:: (?!Readonly)[^=]+)? = new (?:Map|WeakMap|Set|WeakSet|BoundedCache)\b/gm)].map((m) => `${relative(process.cwd(), file)}: ${m[1] ?? m[2] ?? ''}`),
      )
      .filter((entry) => !allowed.has(entry));
    expect(found).toEqual([]);
  });

  it('every room of src/ has a line in architecture.config.js (only cli/, the top floor, may import anything)', () => {
    const rooms = [...new Set(sourceFiles(SRC).map(roomOf))].sort();
    expect(rooms.filter((room) => room !== 'cli' && !Object.hasOwn(forbiddenImports, room))).toEqual([]);
  });

  it('sees the imports it is meant to see (a guard against a scanner that finds nothing)', () => {
    expect(graph.get('server')?.has('oid4vp')).toBe(true);
    expect(graph.get('formats')?.has('trust')).toBe(true);
    // `import type` counts: a port imported only as a type is still a dependency.
    expect(graph.get('store')?.has('portal')).toBe(true);
  });
});
