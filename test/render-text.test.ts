/** Text copied from documents into issues: checked with a CommonMark + GFM reader, not with the app's own rules. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DesiredAction, TrackingView } from "../src/core/plan/model.js";
import { renderActionBody } from "../src/core/render/action-body.js";
import { renderCheck } from "../src/core/render/check.js";
import {
  cell,
  fitBody,
  issueTitle,
  safeLinkText,
  safeMarkdown,
  truncateMarkdown,
} from "../src/core/render/text.js";
import { renderTrackingBody, renderTrackingTitle } from "../src/core/render/tracking.js";
import { BIDI, liveMentions, liveTitleMentions, rawHtml } from "./support/mentions.js";

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

/** Zero-width and bidirectional characters, raw and as entities, and brackets that end a link's text. */
const DISGUISES = [
  "\u200b",
  "\u200c",
  "\u200d",
  "\u2060",
  "\ufeff",
  "\u00ad",
  "&#8203;",
  "&#x200B;",
  "&ZeroWidthSpace;",
  "&zwj;",
  "&shy;",
  "\u202e",
  "\u2066",
  "\u200f",
  "\u061c",
  "&#x202E;",
  "]",
  "[",
  "\\]",
  "&#93;",
  "&rsqb;",
  "&lbrack;",
  "](x) ",
  "DB down] cc ",
  " [see",
  "@acme/security",
  "@susanj",
];
const disguised = fc
  .array(fc.constantFrom(...PIECES, ...DISGUISES), { maxLength: 30 })
  .map((p) => p.join(""));

function trackingView(title: string, text: string): TrackingView {
  return {
    title,
    path: "docs/postmortems/x.md",
    docUrl: "https://github.com/o/r/blob/main/docs/postmortems/x.md",
    date: "2026-03-01",
    summary: text,
    rootCause: text,
    rootCauseState: "present",
    authors: [],
    findings: [{ level: "warning", message: text, line: 3 }],
    actions: [
      {
        key: "k",
        text,
        owners: [text],
        due: null,
        done: false,
        link: null,
        generated: false,
        line: 4,
        issue: null,
      },
    ],
  };
}

function desired(text: string): DesiredAction {
  return {
    action: {
      text,
      details: text,
      owners: [text],
      due: null,
      dueRaw: text,
      type: text,
      priority: text,
      category: text,
      generated: false,
    },
    unassignable: [],
  } as unknown as DesiredAction;
}

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

  it("leaves no live mention and no bidirectional control in titles, or in the bodies that show them", () => {
    fc.assert(
      fc.property(disguised, disguised, (title, text) => {
        const view = trackingView(title, text);
        for (const plain of [
          issueTitle(title),
          renderTrackingTitle("Post-mortem: {title}", view),
        ]) {
          expect(liveTitleMentions(plain)).toEqual([]);
          expect(plain).not.toMatch(BIDI);
        }
        const tracking = renderTrackingBody(view, "2026-03-02");
        expect(liveMentions(tracking)).toEqual([]);
        // The only HTML is the app's own findings fold.
        expect(rawHtml(tracking).filter((html) => !/^<\/?details>/.test(html))).toEqual([]);
        const body = renderActionBody({
          desired: desired(text),
          docTitle: title,
          permalink: "https://github.com/o/r/blob/abc/docs/postmortems/x.md#L4",
          trackingNumber: 1,
        });
        expect(unsafe(body)).toEqual([]);
        const check = renderCheck({
          documents: [
            {
              path: "docs/postmortems/x.md",
              previousPath: null,
              title,
              incidents: [],
              subIssues: null,
              native: null,
              writeBack: null,
              open: [
                {
                  number: null,
                  text: issueTitle(text),
                  assignees: [],
                  unassignable: [],
                  due: null,
                  milestone: null,
                  change: null,
                },
              ],
              update: [
                {
                  number: 7,
                  text: title,
                  assignees: [],
                  unassignable: [],
                  due: null,
                  milestone: null,
                  change: null,
                },
              ],
              close: [],
              tracked: [{ text: title, done: true, link: null }],
              findings: [{ level: "warning", rule: "action-no-owner", message: text, line: 3 }],
              tracking: null,
            },
          ],
          deletions: [],
          config: null,
          strict: false,
        });
        expect(unsafe(check.summary)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps a title's text inside the tracking issue's link: a ] does not end it early", () => {
    const title = "DB down] cc @acme/security and @susanj [see";
    const body = renderTrackingBody(trackingView(title, "x"), "2026-03-02");
    expect(liveMentions(body)).toEqual([]);
    expect(body).toContain(
      "**Post-mortem:** [DB down\\] cc `@acme/security` and `@susanj` \\[see](https://github.com/o/r/blob/main/docs/postmortems/x.md)",
    );
    expect(renderTrackingTitle("{title}", trackingView(`\u202eDB\u2066 down @bob`, "x"))).toBe(
      "DB down @\u2060bob",
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
    // An email running into a web address takes the address's start: the address is prose.
    const joined = safeMarkdown("e@x.com_http://a.b/@bob");
    expect(liveMentions(joined)).toEqual([]);
    expect(joined).toContain("`@bob`");
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
