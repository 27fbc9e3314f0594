/**
 * Job keys: what a job converges. One post-mortem, one repository's full resync, one repository's
 * daily review and reminders. Two jobs with the same key never run at once.
 */

interface RepoKey {
  installation: number;
  owner: string;
  repo: string;
}

export type JobKey =
  | ({ kind: "document"; path: string } & RepoKey)
  | ({ kind: "resync" } & RepoKey)
  | ({ kind: "daily" } & RepoKey);

export type JobKind = JobKey["kind"];

export const JOB_KINDS: readonly JobKind[] = ["document", "resync", "daily"];

/**
 * A stable string for a key: the same key always gives the same id, different keys never share
 * one. Owner and repository are lower-cased (GitHub names ignore case, git paths do not). Every
 * part is URI-encoded, so the id never holds the ':' that BullMQ reserves in job ids, and '/'
 * only ever separates parts.
 */
export function keyId(key: JobKey): string {
  const parts: (string | number)[] = [
    key.kind,
    key.installation,
    key.owner.toLowerCase(),
    key.repo.toLowerCase(),
  ];
  if (key.kind === "document") parts.push(key.path);
  return parts.map((part) => encodeURIComponent(String(part))).join("/");
}

/** A key read back from stored job data, or null when the data is not a key. */
export function asJobKey(value: unknown): JobKey | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!Number.isSafeInteger(v.installation)) return null;
  if (typeof v.owner !== "string" || typeof v.repo !== "string") return null;
  const repo = { installation: v.installation as number, owner: v.owner, repo: v.repo };
  if (v.kind === "document") {
    return typeof v.path === "string" ? { kind: "document", ...repo, path: v.path } : null;
  }
  if (v.kind === "resync" || v.kind === "daily") return { kind: v.kind, ...repo };
  return null;
}
