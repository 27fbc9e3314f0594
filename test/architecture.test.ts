/**
 * The layout the code promises: a pure core (parsing, planning, rendering) that reaches neither
 * GitHub nor the clock nor the environment, and a module graph without runtime import cycles.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");
/** The pure core: folders and files under src/. */
const CORE = ["core"];
/** What the core may import besides itself: libraries that compute, nothing that does I/O. */
const CORE_LIBRARIES =
  /^(zod|yaml|picomatch|unified|remark|remark-gfm|remark-frontmatter|mdast-util-to-string|mdast|micromark.*|unist.*|deepmerge|node:crypto)$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

interface Import {
  from: string;
  specifier: string;
  /** Erased at run time (`import type`, `export type`). */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const found: Import[] = [];
  for (const match of text.matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+"([^"]+)";/gms)) {
    found.push({ from: file, specifier: match[3] as string, typeOnly: Boolean(match[2]) });
  }
  for (const match of text.matchAll(/import\(\s*"([^"]+)"\s*\)/g))
    found.push({ from: file, specifier: match[1] as string, typeOnly: false });
  return found;
}

/** The source file a relative specifier names (`./x.js` is `./x.ts`). */
function target(imp: Import): string | null {
  if (!imp.specifier.startsWith(".")) return null;
  return resolve(dirname(imp.from), imp.specifier.replace(/\.js$/, ".ts"));
}

const all = files(SRC);
const core = all.filter((file) =>
  CORE.some((part) => {
    const path = join(SRC, part);
    return file === path || file.startsWith(`${path}/`);
  }),
);
const isCore = (file: string) => core.includes(file);

describe("the pure core", () => {
  it("is where the layout says", () => {
    expect(core.length).toBeGreaterThan(30);
  });

  it("imports only itself and libraries that compute", () => {
    const outside = core.flatMap((file) =>
      importsOf(file)
        .filter((imp) => {
          const path = target(imp);
          return path ? !isCore(path) : !CORE_LIBRARIES.test(imp.specifier);
        })
        .map((imp) => `${relative(SRC, file)} imports ${imp.specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it("reads neither the environment nor the clock", () => {
    const impure = core.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [/process\.env/, /Date\.now\(\)/, /new Date\(\)/]
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${relative(SRC, file)}: ${pattern.source}`);
    });
    expect(impure).toEqual([]);
  });
});

describe("the module graph", () => {
  it("has no import cycle that runs at load time", () => {
    const graph = new Map<string, string[]>();
    for (const file of all) {
      graph.set(
        file,
        importsOf(file)
          .filter((imp) => !imp.typeOnly)
          .map(target)
          .filter((path): path is string => path !== null),
      );
    }
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const walk = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        const loop = path.slice(path.indexOf(file)).concat(file);
        cycles.push(loop.map((f) => relative(SRC, f)).join(" → "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) walk(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of all) walk(file, []);
    expect(cycles).toEqual([]);
  });
});
