/** The README and docs/: links that resolve, a config example that loads, a template that parses. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Root } from "mdast";
import { remark } from "remark";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { loadConfigText } from "../src/config-file.js";
import { defaultConfig } from "../src/core/config.js";
import { lintPostmortem } from "../src/core/postmortem/lint.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DOCS = [
  "README.md",
  "CONTRIBUTING.md",
  "SECURITY.md",
  "CHANGELOG.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Every link, image and link definition target in a markdown file, as written. */
function targets(markdown: string): string[] {
  const tree = remark().use(remarkGfm).parse(markdown) as Root;
  const found: string[] = [];
  const walk = (node: { type: string; url?: string; children?: unknown[] }) => {
    if ((node.type === "link" || node.type === "image" || node.type === "definition") && node.url)
      found.push(node.url);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(tree);
  return found;
}

const isExternal = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//");

describe("links", () => {
  it("the README links the docs it promises", () => {
    const links = targets(read("README.md"));
    for (const doc of [
      "docs/action.md",
      "docs/architecture.md",
      "docs/documents.md",
      "docs/benchmarks.md",
      "docs/parser-accuracy.md",
      "docs/postmortem-template.md",
      "SECURITY.md",
      "CONTRIBUTING.md",
      "CHANGELOG.md",
      "LICENSE",
    ]) {
      expect(links, doc).toContain(doc);
    }
  });

  it.each(DOCS)("every relative link in %s resolves to a file in the repository", (file) => {
    const broken: string[] = [];
    for (const url of targets(read(file))) {
      if (isExternal(url) || url.startsWith("#")) continue;
      const path = decodeURIComponent(url.split("#")[0] ?? "");
      const target = resolve(dirname(join(ROOT, file)), path);
      const inside = !relative(ROOT, target).startsWith("..");
      if (!inside || !existsSync(target) || !statSync(target).isFile()) broken.push(url);
    }
    expect(broken).toEqual([]);
  });

  it("the README's pictures are PNG files", () => {
    const images = targets(read("README.md")).filter((url) => url.endsWith(".png"));
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      const bytes = readFileSync(join(ROOT, image));
      expect(bytes.subarray(1, 4).toString("latin1"), image).toBe("PNG");
    }
  });
});

describe("the README", () => {
  it("is at most half its former 424 lines, and starts with the two Quick start commands", () => {
    const text = read("README.md");
    expect(text.split("\n").length).toBeLessThanOrEqual(212);
    const quickStart = text.indexOf("## Quick start");
    expect(quickStart).toBe(text.indexOf("## "));
    const block = text.slice(quickStart).match(/```sh\n([\s\S]*?)```/)?.[1] ?? "";
    expect(
      block
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(/\s+#/)[0]?.trim()),
    ).toEqual(["npm start", "npm test"]);
  });

  it("its configuration example is a valid config", () => {
    const yaml = read("README.md").match(
      /## Configuration[^\n]*\n[\s\S]*?```yaml\n([\s\S]*?)```/,
    )?.[1];
    expect(yaml).toBeTruthy();
    const loaded = loadConfigText(yaml ?? "", "README.md");
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });

  it("names every environment variable the code reads", () => {
    const readme = read("README.md");
    const names = new Set<string>();
    for (const file of sourceFiles(join(ROOT, "src"))) {
      // The Action reads what the Actions runner sets, which nobody sets by hand.
      const runner = file.includes(`${join("src", "action")}`);
      for (const match of readFileSync(file, "utf8").matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g))
        if (!(runner && match[1]?.startsWith("GITHUB_"))) names.add(match[1] ?? "");
    }
    expect(names).toContain("FOLLOW_THROUGH_SCHEDULE");
    const missing = [...names].filter((name) => !new RegExp(`\\b${name}\\b`).test(readme));
    expect(missing).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("the post-mortem template", () => {
  const text = read("docs/postmortem-template.md");
  const pm = parsePostmortem(text, { path: "docs/postmortems/2026-03-01-checkout-errors.md" });

  it("has every section a review requires, and reads without a finding", () => {
    const findings = lintPostmortem(pm, { config: defaultConfig, today: "2026-03-02" });
    expect(findings).toEqual([]);
    for (const heading of [
      "## Summary",
      "## Timeline",
      "## Root Cause",
      "## Worked Well",
      "## Could Be Better",
      "## Follow-Up Actions",
    ]) {
      expect(text).toContain(`\n${heading}\n`);
    }
    expect(text).toContain("| Action | Assigned To | Target Complete |");
  });

  it("gives every example action an owner and a target date", () => {
    expect(pm.actions.length).toBeGreaterThanOrEqual(3);
    for (const action of pm.actions) {
      expect(action.owners.length, action.text).toBeGreaterThan(0);
      expect(action.due, action.text).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(pm.rootCauseState).toBe("present");
  });

  it("is ignored by the default paths, so copying it next to post-mortems opens no issue", () => {
    expect(defaultConfig.ignore).toContain("**/*template*.md");
  });
});
