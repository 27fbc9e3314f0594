/** Text copied from documents into issues: checked with a CommonMark + GFM reader, not with the app's own rules. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cell,
  fitBody,
  issueTitle,
  safeLinkText,
  safeMarkdown,
  truncateMarkdown,
} from "../src/render/text.js";
import { liveMentions, rawHtml } from "./support/mentions.js";

/** Pieces that change how markdown reads around a mention. */
const PIECES = [
  "@bob",
  "@acme/sre",
  "@everyone",
  "@here",
  "@",
  "@@",
  "`",
  "``",
  "```",
  "~~~",
  "\\",
  "_",
  "__",
  "*",
  "**",
  "~~",
  "&#64;",
  "&#x40;",
  "&commat;",
  "&#98;",
  "&",
  ";",
  " ",
  "\t",
  "\n",
  "\n\n",
  "  \n",
  "a",
  "é",
  "x.com",
  "e@x.com",
  "https://",
  "http://a.b/",
  "www.a.b/",
  "www.",
  "/",
  "(",
  ")",
  "[",
  "]",
  "](y)",
  "[x](",
  "![",
  "<",
  ">",
  "<img src=x>",
  "<https://a.b/@c>",
  "<!--",
  "-->",
  "- ",
  "> ",
  "1. ",
  "1) ",
  "    ",
  "#",
  "|",
  ".",
  "+",
  "-",
  ":",
  "&lt;",
];
const markdown = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(""));

const unsafe = (text: string) => [...liveMentions(text), ...rawHtml(text)];

describe("safe markdown", () => {
  it("leaves no mention that notifies and no raw HTML, in prose, links, table cells and cut text", () => {
    fc.assert(
      fc.property(markdown, markdown, (a, b) => {
        const safe = safeMarkdown(a);
        expect(unsafe(safe)).toEqual([]);
        expect(unsafe(`From [${safeLinkText(b)}](https://x.example/d)`)).toEqual([]);
        expect(unsafe(`| | |\n| --- | --- |\n| **Owner** | ${cell(safeMarkdown(b))} |`)).toEqual(
          [],
        );
        for (let n = 1; n < safe.length; n += 5)
          expect(unsafe(truncateMarkdown(safe, n))).toEqual([]);
        expect(unsafe(fitBody(safe, "<!-- follow-through:action {} -->"))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  // Inputs where a simpler neutraliser let a mention or a tag through.
  it.each([
    "@a@b x",
    "@bob```@bob```",
    "e@x.com@bob",
    "www.e@x.com@bob",
    "www.a.b/```<img src=x>```",
    "www.a.b/`@bob`",
    "[x](```1) @bob```",
    '[x](/u "a```") @bob```',
    "http://a.b/[x](@bob",
    "<https://<!--> ",
    "`@bob\\|`",
    "stray ` @bob and @bob`` and ```@bob`",
    "- item\n  ```\n@bob\n  ```",
    "~~~\n@bob",
  ])("is safe in every context: %j", (input) => {
    const safe = safeMarkdown(input);
    expect(unsafe(safe)).toEqual([]);
    expect(unsafe(`From [${safeLinkText(input)}](https://x.example/d)`)).toEqual([]);
    expect(unsafe(`| | |\n| --- | --- |\n| **Owner** | ${cell(safe)} |`)).toEqual([]);
    for (let n = 1; n < safe.length; n++) expect(unsafe(truncateMarkdown(safe, n))).toEqual([]);
  });

  it("keeps code, links, web addresses and emails as written", () => {
    expect(
      safeMarkdown("run `npm i @types/node`, see https://medium.com/@bob, mail ops@acme.io"),
    ).toBe("run `npm i @types/node`, see https://medium.com/@bob, mail ops@acme.io");
    expect(safeMarkdown("```\n@bob\n```")).toBe("```\n@bob\n```");
  });

  it("neutralises a mention whatever precedes it", () => {
    expect(safeMarkdown("_@bob_ __@bob__ \\@bob &#64;bob &#x40;bob &commat;bob e@x.com@bob")).toBe(
      "_`@bob`_ __`@bob`__ `@bob` `@bob` `@bob` `@bob` e@x.com`@bob`",
    );
  });

  it("cuts outside code, so a cut never reopens what was neutralised", () => {
    const safe = safeMarkdown(`${"word ".repeat(10)}\`code with @bob inside\` tail`);
    expect(truncateMarkdown(safe, 60)).toBe(`${"word ".repeat(9)}word…`);
  });

  it("puts a word joiner after the @ of a mention in titles, not in emails", () => {
    expect(issueTitle("Tell @everyone and _@acme/sre_, mail ops@acme.io")).toBe(
      "Tell @\u2060everyone and @\u2060acme/sre, mail ops@acme.io",
    );
  });
});
