/**
 * Action identity keys are stored in GitHub for as long as an issue lives: a parser change that
 * re-keys an action would open a duplicate issue in every repository already synced. Every key in
 * identity-keys.json must still be produced for its document. New actions may add keys: run with
 * FOLLOW_THROUGH_PIN_KEYS=1 to add them (it never removes one).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { identityKeys } from "../src/core/postmortem/identity.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

const ROOT = join(import.meta.dirname, "..");
const SHARED = join(ROOT, "..", "shared");
const PINNED_FILE = join(import.meta.dirname, "identity-keys.json");
const pinned: Record<string, string[]> = JSON.parse(readFileSync(PINNED_FILE, "utf8"));

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return /\.(md|txt)$/.test(entry.name) && !/^[A-Z]+\.md$/.test(entry.name) ? [path] : [];
  });
}

/** Documents named as `fixtures/…` (in this repository) or `shared/…` (beside it). */
const documents = [
  ...markdownFiles(join(ROOT, "fixtures")).map((path) => ({ name: relative(ROOT, path), path })),
  ...markdownFiles(join(SHARED, "corpus")).map((path) => ({
    name: `shared/${relative(SHARED, path)}`,
    path,
  })),
  ...markdownFiles(join(SHARED, "seeds")).map((path) => ({
    name: `shared/${relative(SHARED, path)}`,
    path,
  })),
];

function keysOf(path: string, name: string): string[] {
  // Fixed options: keys depend on the action text only, never on dates, people or the clock.
  const pm = parsePostmortem(readFileSync(path, "utf8"), {
    path: name,
    fallbackDate: "2026-01-01",
  });
  return identityKeys(pm.actions);
}

const current = new Map(documents.map((doc) => [doc.name, keysOf(doc.path, doc.name)]));

if (process.env.FOLLOW_THROUGH_PIN_KEYS === "1") {
  const merged: Record<string, string[]> = { ...pinned };
  for (const [name, keys] of current) {
    merged[name] = [...new Set([...(pinned[name] ?? []), ...keys])];
  }
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(PINNED_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

describe("action identity keys", () => {
  it("are pinned for the fixtures and, when it is beside the repository, the shared corpus", () => {
    expect(documents.filter((doc) => doc.name.startsWith("fixtures/")).length).toBeGreaterThan(10);
    for (const doc of documents)
      expect(pinned, `${doc.name} has no pinned keys`).toHaveProperty(doc.name);
  });

  const required = process.env.FOLLOW_THROUGH_REQUIRE_CORPUS === "1";
  for (const [name, keys] of Object.entries(pinned)) {
    const present = current.has(name);
    it.runIf(present || required || name.startsWith("fixtures/"))(
      `stay the same for ${name}`,
      () => {
        expect(present, `${name} is missing`).toBe(true);
        const missing = keys.filter((key) => !current.get(name)?.includes(key));
        expect(missing, `keys no longer produced for ${name}`).toEqual([]);
      },
    );
  }
});
