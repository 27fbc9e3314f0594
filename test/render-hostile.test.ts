/**
 * Rendering stays linear in the text: inputs that each took from seconds to minutes when a scan
 * restarted at every backtick, fence, backslash or mark. Each is checked for its output too.
 */
import { describe, expect, it } from "vitest";
import { issueTitle, plainText, safeMarkdown, truncateMarkdown } from "../src/core/render/text.js";

/** A hang guard, not a benchmark (`npm run bench` shows time against size). */
const HANG = 20_000;

describe("safe markdown on long inputs", () => {
  it("150,000 characters of code spans keep every span as written", { timeout: HANG }, () => {
    const text = "`@a` ".repeat(30_000);
    expect(safeMarkdown(text)).toBe(text);
    expect(truncateMarkdown(safeMarkdown(text), 60_000)).toBe(`${"`@a` ".repeat(11_999)}\`@a\`…`);
  });

  it("20,000 unclosed fences stay prose, and mentions after them are neutralised", {
    timeout: HANG,
  }, () => {
    const out = safeMarkdown(`${"```x\n".repeat(20_000)}@bob`);
    expect(out.endsWith("`@bob`")).toBe(true);
    expect(out.split("\n")).toHaveLength(20_001);
  });

  it("fences too short to close others still pair among themselves", { timeout: HANG }, () => {
    const text = "````x\n```\n@bob\n```\n".repeat(5_000);
    // Each ```` opener finds no ```` closer: prose, its backticks escaped; each ``` pair is a code
    // block holding @bob.
    expect(safeMarkdown(text)).toBe("\\`\\`\\`\\`x\n```\n@bob\n```\n".repeat(5_000));
  });

  it("a fence opened in a list ends at a less indented line", () => {
    expect(safeMarkdown("- item\n  ```\n  code\nout @bob\n  ```")).toContain("out `@bob`");
  });

  it("200,000 backslashes before a mention", { timeout: HANG }, () => {
    const out = safeMarkdown(`${"\\".repeat(200_000)}@bob`);
    expect(out).toBe(`${"\\".repeat(200_000)}\`@bob\``);
  });

  it("a link destination left open before thousands of backticks", { timeout: HANG }, () => {
    const out = safeMarkdown(`[x](${"`a` ".repeat(40_000)}`);
    // Inside the open destination no code span starts: every backtick is escaped, as before.
    expect(out).toBe(`[x](${"\\`a\\` ".repeat(40_000)}`);
  });

  it("a web address running into thousands of backticks", { timeout: HANG }, () => {
    const out = safeMarkdown(`https://x.example/${"`a`".repeat(40_000)} @bob`);
    expect(out.endsWith(" `@bob`")).toBe(true);
  });
});

describe("plain text and titles on long inputs", () => {
  it.each([
    ["openers without closers", " *a".repeat(60_000), "*a *a"],
    ["images left open", "![".repeat(100_000), "![!["],
    ["links left open", "[a](".repeat(50_000), "[a]("],
    ["addresses left open", "<https://a".repeat(20_000), "<https://a"],
  ])(
    "%s",
    (_name, text, start) => {
      expect(plainText(text).startsWith(start)).toBe(true);
      expect(issueTitle(text).length).toBeLessThanOrEqual(256);
    },
    HANG,
  );

  it("still drops the marks of emphasis, links and code", () => {
    expect(
      plainText("**Fix** _the_ [cache](https://x.example) `warmup` ![img](i.png) <b>x</b>"),
    ).toBe("Fix the cache warmup img x");
    expect(plainText("a *b* c *d\n_e_ f")).toBe("a b c *d e f");
  });
});
