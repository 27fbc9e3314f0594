/**
 * The write-back pull request, applied after a document's actions: the document as its issues
 * say (links, done marks), committed on the app's own branch on top of the commit just synced,
 * and proposed in one pull request per post-mortem. Never the default branch. A failure here is
 * reported and never fails the sync: the issues are what matter, and the next sync tries again.
 */
import { createHash } from "node:crypto";
import { readTrackingMarker, readWriteBackMarker } from "../core/plan/marker.js";
import type { IssueState } from "../core/plan/model.js";
import type { DocumentPlan, DocumentSnapshot } from "../core/plan/plan-document.js";
import {
  decideWriteBack,
  renderWriteBack,
  type WriteBackPull,
  type WriteBackStep,
  writeBackBranch,
  writeBackCommitMessage,
  writeBackWants,
} from "../core/plan/write-back-pull.js";
import { writeBack } from "../core/writeback/write-back.js";
import { type PullSummary, statusOf, WriteBudgetExceeded } from "../github/client.js";
import { type DocumentSource, readPostmortem } from "./read-snapshot.js";
import type { RepoReads } from "./repo-reads.js";

export interface WriteBackOutcome {
  step: WriteBackStep["kind"] | "failed";
  /** The pull request opened, updated, closed or left as it is. */
  pull: number | null;
  /** The blob of the content an open pull request proposes (recorded in the tracking issue). */
  blob?: string;
  /** Actions that could not be written so that the document reads the same. */
  skipped: number;
  /** What went wrong, in one line (a missing permission, GitHub refusing the branch). */
  problem: string | null;
}

export async function applyWriteBack(
  reads: RepoReads,
  input: {
    snapshot: DocumentSnapshot;
    plan: DocumentPlan;
    issues: Map<number, IssueState>;
    source: DocumentSource;
  },
): Promise<WriteBackOutcome> {
  try {
    return await writeBackDocument(reads, input);
  } catch (error) {
    if (error instanceof WriteBudgetExceeded) throw error;
    return { step: "failed", pull: null, skipped: 0, problem: problemOf(error) };
  }
}

async function writeBackDocument(
  reads: RepoReads,
  { snapshot, plan, issues, source }: Parameters<typeof applyWriteBack>[1],
): Promise<WriteBackOutcome> {
  const { gh } = reads;
  const commit = snapshot.commit;
  if (!commit) return { step: "none", pull: null, skipped: 0, problem: null };
  const wants = writeBackWants(plan.postmortem, issues);
  const parse = (content: string) => readPostmortem(reads, { ...source, content });
  // The comparison is with the document as the parser alone reads it (not with notices added).
  const written =
    wants.length === 0
      ? { content: source.content, written: [], skipped: [] }
      : await writeBack(
          source.content,
          snapshot.parsed ?? (await parse(source.content)),
          wants,
          parse,
        );
  const wanted = written.written.length > 0 ? gitBlobSha(written.content) : null;

  const branch = writeBackBranch(plan.doc);
  // Only the app's own pull requests, with a marker it signed, count (never a person's).
  const pulls = await ownPulls(reads, plan.doc);
  const pullNumbered = (number: number) => pulls.find((pull) => pull.number === number) as OwnPull;
  const step = decideWriteBack(pulls, wanted);
  const outcome = (pull: number | null, blob?: string): WriteBackOutcome => ({
    step: step.kind,
    pull,
    ...(blob ? { blob } : {}),
    skipped: written.skipped.length,
    problem: null,
  });
  // With no pull request open, the tracking issue keeps what it records (a blob that reads the
  // same), or records the document's own: either way it says a write-back follows the actions.
  const kept =
    (plan.tracking.kind === "existing"
      ? readTrackingMarker(plan.tracking.issue.body)?.writeBack
      : undefined) ??
    snapshot.blob ??
    undefined;
  if (step.kind === "none" || step.kind === "held") {
    const open = pulls.find((pull) => pull.state === "open");
    return outcome(open?.number ?? null, open?.blob ?? kept);
  }
  if (step.kind === "close") {
    await closePull(
      reads,
      pullNumbered(step.pull),
      "The post-mortem says everything this pull request wrote, so Follow-Through closes it.",
    );
    return outcome(step.pull, kept);
  }
  const sha = await gh.commitFile({
    parent: commit,
    path: snapshot.path,
    content: written.content,
    message: writeBackCommitMessage(snapshot.path),
  });
  const text = renderWriteBack({
    pm: plan.postmortem,
    path: snapshot.path,
    marker: { doc: plan.doc, blob: wanted as string, commit: sha },
    written: written.written,
    skipped: written.skipped,
    issues,
  });
  // A new pull request's branch is usually new too (one left by a closed one is moved instead).
  await gh.setBranch(branch, sha, step.kind === "update");
  if (step.kind === "update") {
    await gh.updatePull(pullNumbered(step.pull), { title: text.title, body: text.body });
    return outcome(step.pull, wanted as string);
  }
  const pull = await gh.createPull({
    title: text.title,
    body: text.body,
    head: branch,
    base: snapshot.repo.defaultBranch,
  });
  return outcome(pull?.number ?? null, wanted as string);
}

/**
 * The post-mortem left the default branch: its open write-back pull request would bring it back,
 * so it is closed with a comment (one a person pushed to is theirs, and stays). Answers its number.
 */
export async function closeWriteBackOf(
  reads: RepoReads,
  doc: string,
  why: string,
): Promise<number | null> {
  const open = (await ownPulls(reads, doc)).find((pull) => pull.state === "open" && !pull.edited);
  if (!open) return null;
  await closePull(reads, open, why);
  return open.number;
}

/** A comment first, so whoever watches the pull request learns why before it closes. */
async function closePull(reads: RepoReads, pull: PullSummary, why: string): Promise<void> {
  await reads.gh.comment(pull.number, why);
  await reads.gh.updatePull(pull, { state: "closed" });
}

/** A pull request as GitHub lists it, with what its marker says. */
type OwnPull = PullSummary & WriteBackPull;

/** The app's own write-back pull requests of a post-mortem: authored by it, with a signed marker. */
async function ownPulls(reads: RepoReads, doc: string): Promise<OwnPull[]> {
  return (await reads.gh.pullsFromBranch(writeBackBranch(doc))).flatMap((pull) => {
    const marker = reads.owns(pull) ? readWriteBackMarker(pull.body) : null;
    if (!marker || marker.doc !== doc) return [];
    const edited = !!marker.commit && marker.commit !== pull.headSha;
    return [{ ...pull, blob: marker.blob, edited }];
  });
}

/** Git's name for a file's content: what the tree lists and the tracking issue records. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function problemOf(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  if (status === 403 || status === 404)
    return `GitHub refused the write-back (${status}): the app needs the Contents and Pull requests write permissions (in the Action: \`contents: write\` and \`pull-requests: write\`, and "Allow GitHub Actions to create pull requests"). ${message}`;
  return status ? `GitHub answered ${status}: ${message}` : message;
}
