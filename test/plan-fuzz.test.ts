/**
 * Random post-mortems, and random edits of the app's own issues (and people's copies of them),
 * through the real reconciler against the OpenAPI-checked fake GitHub. Whatever the input, the app
 * writes only to issues it opened, no written title or body mentions anyone, and everything fits
 * GitHub's limits.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/core/config.js";
import type { Octokit } from "../src/github/client.js";
import { repoClient } from "../src/handlers/deps.js";
import { reconcilePath } from "../src/reconcile/reconcile.js";
import { openedBy, RepoReads } from "../src/reconcile/repo-reads.js";
import { FakeGitHub } from "./support/fake-github/index.js";
import { fakeOctokit, TEST_MARKER_KEY } from "./support/harness.js";
import { liveMentions, rawHtml } from "./support/mentions.js";

const PATH = "docs/postmortems/2026-03-01-fuzz.md";
const PEOPLE = ["alice", "bob", "carol"];

const piece = fc.constantFrom(
  "fix",
  "the",
  " ",
  "@alice",
  "@acme/security",
  "@everyone",
  "[",
  "](",
  ")",
  "]",
  "`",
  "**",
  "_",
  "<b>",
  "&#64;",
  "\u200b",
  "\u202e",
  "|",
  "\\",
  "<!--",
  "-->",
  "#1",
  "x".repeat(50),
);
const text = fc.string({ unit: piece, minLength: 1, maxLength: 12 });
const row = fc.record({
  text,
  owners: fc.subarray([...PEOPLE, "dave", "acme/team"], { maxLength: 3 }),
  day: fc.integer({ min: 1, max: 28 }),
  done: fc.boolean(),
});
const doc = fc.record({ title: text, rows: fc.array(row, { minLength: 1, maxLength: 6 }) });

interface Row {
  text: string;
  owners: string[];
  day: number;
  done: boolean;
}

type Edit =
  | { kind: "marker-char"; at: number; char: string }
  | { kind: "strip-signature" }
  | { kind: "append"; text: string }
  | { kind: "copy-as-person" }
  | { kind: "relabel-as-person" };

function render(d: { title: string; rows: Row[] }): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    "---",
    `title: ${JSON.stringify(d.title)}`,
    "date: 2026-03-01",
    "---",
    "## Follow-Up Actions",
    "",
    "| Action | Owner | Due | Status |",
    "| --- | --- | --- | --- |",
    ...d.rows.map(
      (r: Row) =>
        `| ${cell(r.text)} | ${r.owners.map((o) => `@${o}`).join(", ")} | 2026-04-${String(r.day).padStart(2, "0")} | ${r.done ? "DONE" : ""} |`,
    ),
    "",
  ].join("\n");
}

/** What a person may do to the app's issues, or with copies of them. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant("marker-char"),
    at: fc.nat(),
    char: fc.constantFrom("1", '"', "x"),
  }),
  fc.record({ kind: fc.constant("strip-signature") }),
  fc.record({ kind: fc.constant("append"), text }),
  fc.record({ kind: fc.constant("copy-as-person") }),
  fc.record({ kind: fc.constant("relabel-as-person") }),
);

function edited(body: string, e: Edit): string {
  if (e.kind === "strip-signature") return body.replace(/ [\w-]{22} -->/g, " -->");
  if (e.kind === "append") return `${body}\n\n${e.text}`;
  if (e.kind === "marker-char") {
    const start = body.indexOf("<!-- follow-through:");
    if (start === -1) return body;
    const at = start + 25 + (e.at % Math.max(1, body.length - start - 30));
    return body.slice(0, at) + e.char + body.slice(at + 1);
  }
  return body;
}

describe("the reconciler under random documents and edits", () => {
  it("writes only the app's issues, mentions no one, and stays within GitHub's limits", async () => {
    await fc.assert(
      fc.asyncProperty(
        doc,
        doc,
        fc.array(fc.tuple(fc.nat(), edit), { maxLength: 4 }),
        async (v1, v2, edits) => {
          const gh = new FakeGitHub({ now: () => new Date("2026-03-02T10:00:00Z") });
          const repo = gh.addRepo("acme", "platform");
          for (const login of PEOPLE) repo.addCollaborator(login);
          const Octokit = fakeOctokit(gh);
          const octokit = new Octokit({
            auth: { token: gh.installationToken(1) },
          }) as unknown as Octokit;
          const sync = async (markdown: string) => {
            const head = repo.commit({ [PATH]: markdown });
            const client = repoClient(octokit, "acme", "platform", {
              writeBudget: 500,
              markerKey: TEST_MARKER_KEY,
            });
            const reads = new RepoReads(client, defaultConfig, openedBy(gh.botLogin));
            const repoRef = {
              owner: "acme",
              repo: "platform",
              htmlUrl: repo.htmlBase,
              defaultBranch: "main",
            };
            await reconcilePath(
              reads,
              { repo: repoRef, path: PATH, previousPath: null, head, fallbackDate: "2026-03-01" },
              "2026-03-02",
            );
          };
          await sync(render(v1));

          const appIssues = repo.issues().map((i) => i.number as number);
          for (const [pick, e] of edits) {
            const number = appIssues[pick % appIssues.length] as number;
            const issue = repo.issue(number);
            const body = issue?.body as string;
            if (e.kind === "copy-as-person") {
              repo.userCreateIssue(
                {
                  title: issue?.title as string,
                  body,
                  labels: ["post-mortem-action", "post-mortem"],
                },
                { login: "mallory" },
              );
            } else if (e.kind === "relabel-as-person") {
              repo.userCreateIssue(
                { title: "Ours", body: "Not the app's.", labels: ["post-mortem"] },
                { login: "mallory" },
              );
            } else {
              repo.userUpdateIssue(number, { body: edited(body, e) }, { login: "mallory" });
            }
          }
          const foreign = new Set(
            repo
              .issues()
              .filter((i) => (i.user as { login: string }).login !== gh.botLogin)
              .map((i) => i.number as number),
          );
          const foreignBefore = JSON.stringify(
            repo.issues().filter((i) => foreign.has(i.number as number)),
          );
          const theirs = new Map(
            repo.issues().map((i) => {
              const body = (i.body as string) ?? "";
              return [i.number as number, new Set([...liveMentions(body), ...rawHtml(body)])];
            }),
          );
          gh.resetRequests();
          await sync(render(v2));

          for (const write of gh.writes()) {
            const number = Number(write.path.match(/\/issues\/(\d+)/)?.[1]);
            expect(foreign.has(number), `${write.method} ${write.path}`).toBe(false);
            const payload = (write.body ?? {}) as { title?: string; body?: string };
            if (payload.title !== undefined) {
              expect(payload.title.length).toBeLessThanOrEqual(256);
              // Titles are plain text on GitHub: an `@` straight before a login would be a mention.
              expect(payload.title, payload.title).not.toMatch(/(?:^|[^\w`])@[A-Za-z0-9]/);
              expect(payload.title).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
            }
            if (payload.body !== undefined) {
              expect(payload.body.length).toBeLessThanOrEqual(65_536);
              // What people wrote on GitHub is theirs: the app may keep it, never add to it.
              const kept = write.method === "PATCH" ? (theirs.get(number) ?? new Set()) : new Set();
              expect(liveMentions(payload.body).filter((m) => !kept.has(m))).toEqual([]);
              // The app's own collapsible sections aside, no HTML reaches GitHub.
              const html = rawHtml(payload.body).filter(
                (h) => !/^<\/?(details|summary)>/.test(h) && !kept.has(h),
              );
              expect(html).toEqual([]);
            }
          }
          expect(JSON.stringify(repo.issues().filter((i) => foreign.has(i.number as number)))).toBe(
            foreignBefore,
          );
          gh.assertNoViolations();
        },
      ),
      { numRuns: 30 },
    );
  }, 300_000);
});
