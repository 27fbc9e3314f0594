/**
 * The write-back pull request (`write_back: pull_request`), decided without I/O: what it should
 * write into the document, whether to open, update or close it, and what it says.
 */
import { hashText } from "../postmortem/identity.js";
import type { Postmortem } from "../postmortem/model.js";
import { issueTitle, safeTitleText, truncate } from "../render/text.js";
import type { WriteBackWant } from "../writeback/write-back.js";
import { type WriteBackMarker, writeBackMarker } from "./marker.js";
import type { IssueState } from "./model.js";

/**
 * Each action the app has an issue for: its link where the document gives none, and a done mark
 * where its issue was closed as completed and the document does not say so yet. Inferred and
 * generated actions have no row or item of their own to write into.
 */
export function writeBackWants(
  pm: Postmortem,
  issues: Map<number, Pick<IssueState, "number" | "state" | "stateReason">>,
): WriteBackWant[] {
  const wants: WriteBackWant[] = [];
  pm.actions.forEach((action, index) => {
    const issue = issues.get(index);
    if (!issue || action.generated || action.inferred) return;
    const link = action.link === null ? issue.number : null;
    const done = !action.done && issue.state === "closed" && issue.stateReason === "completed";
    if (link !== null || done) wants.push({ index, issue: link, done });
  });
  return wants;
}

/** A write-back pull request as the app reads it: only its own, with a marker that verifies. */
export interface WriteBackPull {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  /** The git blob of the content it proposes (from its marker). */
  blob: string;
  /** A person pushed to its branch: the app no longer moves it. */
  edited: boolean;
}

export type WriteBackStep =
  | { kind: "none" }
  /** The open one has a person's commits: left to them, nothing else proposed meanwhile. */
  | { kind: "held"; pull: number }
  | { kind: "open" }
  | { kind: "update"; pull: number }
  | { kind: "close"; pull: number };

/**
 * `wanted`: the blob of the content to propose, or null when the document needs nothing written.
 * An open pull request is updated (never a second one opened) unless a person pushed to it; one
 * closed unmerged is not opened again for the same content.
 */
export function decideWriteBack(pulls: WriteBackPull[], wanted: string | null): WriteBackStep {
  const open = pulls.find((pull) => pull.state === "open");
  if (open?.edited) return { kind: "held", pull: open.number };
  if (wanted === null) return open ? { kind: "close", pull: open.number } : { kind: "none" };
  if (open) return open.blob === wanted ? { kind: "none" } : { kind: "update", pull: open.number };
  const declined = pulls.some((pull) => !pull.merged && pull.blob === wanted);
  return declined ? { kind: "none" } : { kind: "open" };
}

/** The app's branch for a post-mortem: readable, a valid git ref, and the same across renames. */
export function writeBackBranch(doc: string): string {
  const name = (doc.replace(/^id:/, "").split("/").pop() ?? "")
    .replace(/\.[^.]*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return `follow-through/links/${name ? `${name}-` : ""}${hashText(doc)}`;
}

export interface WriteBackText {
  title: string;
  body: string;
}

export function writeBackCommitMessage(path: string): string {
  return `Link the follow-up actions of ${path} to their issues`;
}

/** What the pull request and its commit say: each action written, and each one that could not be. */
export function renderWriteBack(input: {
  pm: Postmortem;
  path: string;
  marker: WriteBackMarker;
  written: { index: number; link: boolean; done: boolean }[];
  skipped: { index: number; reason: string }[];
  issues: Map<number, IssueState>;
}): WriteBackText {
  const { pm, path } = input;
  const line = (index: number, what: string) => {
    const action = pm.actions[index];
    const issue = input.issues.get(index);
    const text = action ? truncate(safeTitleText(action.text), 200) : `action ${index + 1}`;
    return `- ${text}${issue ? ` → #${issue.number}` : ""}${what ? ` (${what})` : ""}`;
  };
  const links = input.written.filter((w) => w.link).length;
  const dones = input.written.filter((w) => w.done).length;
  const lines = [
    `This writes into \`${path}\` what its issues say: ${count(links, "issue link")} and ${count(dones, "action")} marked done.`,
    "Merging it changes no issue: Follow-Through reads the document as the same actions.",
    "",
    ...input.written
      .slice(0, 200)
      .map((w) =>
        line(w.index, [w.link ? "link" : "", w.done ? "done" : ""].filter(Boolean).join(", ")),
      ),
    ...(input.written.length > 200 ? [`- … and ${input.written.length - 200} more`] : []),
  ];
  if (input.skipped.length > 0) {
    lines.push("", "Left as they are, because the document would not read the same:");
    for (const s of input.skipped.slice(0, 50)) lines.push(line(s.index, s.reason));
  }
  lines.push(
    "",
    "Follow-Through keeps this pull request up to date while it is open. Close it to decline: it is not opened again for the same content.",
    "",
    writeBackMarker(input.marker),
  );
  return {
    title: issueTitle(pm.title, "Write the issue links into the post-mortem: "),
    body: lines.join("\n"),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
