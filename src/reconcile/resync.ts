/**
 * A level-triggered resync of one repository: the tree is listed once, and only the post-mortems
 * whose git blob differs from the one their tracking issue recorded (or that have none yet) are
 * reconciled. An unchanged repository costs a few reads and no write; work a lost delivery, a
 * crash or a failed run left undone is finished without any new delivery.
 */
import { readTrackingMarker } from "../core/plan/marker.js";
import type { RepoRef } from "../core/plan/model.js";
import type { DocumentResult } from "./apply.js";
import { reconcilePath } from "./reconcile.js";
import type { RepoReads } from "./repo-reads.js";

export interface ResyncInput {
  repo: RepoRef & { defaultBranch: string };
  head: string;
  isPostmortem: (path: string) => boolean;
  /** The head commit's date (YYYY-MM-DD), read only when a document needs it. */
  commitDate: () => Promise<string>;
}

export interface ResyncResult {
  /** Post-mortems in the tree. */
  documents: number;
  reconciled: DocumentResult[];
  failed: { path: string; message: string }[];
}

/**
 * The post-mortems at `head` (how many) and those whose blob differs from what their tracking
 * issue recorded, or that have none: the tree listed once, the tracking issues once.
 */
export async function documentsToSync(
  reads: RepoReads,
  input: Pick<ResyncInput, "head" | "isPostmortem">,
): Promise<{ documents: number; changed: string[] }> {
  const files = (await reads.gh.listBlobs(input.head)).filter((f) => input.isPostmortem(f.path));
  // Each path's blobs that need no sync: the one last synced, and the write-back's (it reads the same).
  const synced = new Map<string, (string | undefined)[]>();
  for (const issue of await reads.trackingIssues()) {
    const marker = readTrackingMarker(issue.body);
    if (marker && !marker.view.deletedIn) synced.set(marker.path, [marker.blob, marker.writeBack]);
  }
  const changed = files
    .filter((file) => !synced.get(file.path)?.includes(file.sha))
    .map((f) => f.path);
  return { documents: files.length, changed };
}

export async function resyncRepository(
  reads: RepoReads,
  input: ResyncInput,
  today: string,
): Promise<ResyncResult> {
  const { documents, changed } = await documentsToSync(reads, input);
  const result: ResyncResult = { documents, reconciled: [], failed: [] };
  let fallbackDate: string | null = null;
  for (const path of changed) {
    const file = { path };
    try {
      fallbackDate ??= await input.commitDate();
      const source = { repo: input.repo, path: file.path, previousPath: null, fallbackDate };
      const done = await reconcilePath(reads, { ...source, head: input.head }, today);
      if (done) result.reconciled.push(done);
    } catch (error) {
      // One document's failure never blocks the others; the next resync tries it again.
      result.failed.push({ path: file.path, message: messageOf(error) });
    }
  }
  return result;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}
