import { createHash } from "node:crypto";

/** Git object ids, computed as git does, so shas look and behave like real ones. */
export function blobSha(content: string): string {
  const data = Buffer.from(content, "utf8");
  return gitHash("blob", data);
}

function gitHash(type: string, data: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${data.length}\0`), data]))
    .digest("hex");
}

export interface TreeEntry {
  name: string;
  mode: "100644" | "040000";
  type: "blob" | "tree";
  sha: string;
  size?: number;
}

export interface BuiltTree {
  /** sha of the root tree */
  sha: string;
  /** every tree object reachable from the root, by sha */
  trees: Map<string, TreeEntry[]>;
  /** directory path ("" for the root) → tree sha */
  dirs: Map<string, string>;
}

/** Builds git tree objects for a flat `path → blob sha` map. */
export function buildTree(files: Map<string, string>, sizes: Map<string, number>): BuiltTree {
  const trees = new Map<string, TreeEntry[]>();
  const dirs = new Map<string, string>();
  const children = new Map<string, Map<string, { type: "blob" | "tree"; path: string }>>();
  const ensureDir = (dir: string) => {
    if (children.has(dir)) return;
    children.set(dir, new Map());
    if (dir !== "") {
      const parent = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : "";
      ensureDir(parent);
      children.get(parent)?.set(dir.slice(dir.lastIndexOf("/") + 1), { type: "tree", path: dir });
    }
  };
  ensureDir("");
  for (const path of files.keys()) {
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    ensureDir(dir);
    children.get(dir)?.set(path.slice(path.lastIndexOf("/") + 1), { type: "blob", path });
  }
  const hashDir = (dir: string): string => {
    const entries: TreeEntry[] = [];
    for (const [name, child] of children.get(dir) ?? []) {
      if (child.type === "tree") {
        entries.push({ name, mode: "040000", type: "tree", sha: hashDir(child.path) });
      } else {
        entries.push({
          name,
          mode: "100644",
          type: "blob",
          sha: files.get(child.path) ?? "",
          size: sizes.get(child.path) ?? 0,
        });
      }
    }
    // Git orders entries by name, comparing directories as if they ended in "/".
    const key = (e: TreeEntry) => (e.type === "tree" ? `${e.name}/` : e.name);
    entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(
      entries.flatMap((e) => [
        Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.name}\0`),
        Buffer.from(e.sha, "hex"),
      ]),
    );
    const sha = gitHash("tree", body);
    trees.set(sha, entries);
    dirs.set(dir, sha);
    return sha;
  };
  return { sha: hashDir(""), trees, dirs };
}

export interface CommitIdentity {
  name: string;
  email: string;
}

export function commitSha(
  tree: string,
  parents: string[],
  author: CommitIdentity,
  date: Date,
  message: string,
  committer: CommitIdentity & { date: Date } = { ...author, date },
): string {
  return gitHash(
    "commit",
    Buffer.from(commitText(tree, parents, author, date, message, committer)),
  );
}

/** The commit object as git writes it (what GitHub signs, too). */
export function commitText(
  tree: string,
  parents: string[],
  author: CommitIdentity,
  date: Date,
  message: string,
  committer: CommitIdentity & { date: Date } = { ...author, date },
): string {
  const who = (id: CommitIdentity, at: Date) =>
    `${id.name} <${id.email}> ${Math.floor(at.getTime() / 1000)} +0000`;
  return [
    `tree ${tree}`,
    ...parents.map((p) => `parent ${p}`),
    `author ${who(author, date)}`,
    `committer ${who(committer, committer.date)}`,
    "",
    message.endsWith("\n") ? message : `${message}\n`,
  ].join("\n");
}

function lines(text: string): string[] {
  if (text === "") return [];
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

/** Longest common subsequence of lines; multiset overlap when the files are too big for it. */
function commonLines(a: string[], b: string[]): number {
  if (a.length * b.length > 4_000_000) {
    const counts = new Map<string, number>();
    for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
    let common = 0;
    for (const line of b) {
      const n = counts.get(line) ?? 0;
      if (n > 0) {
        common++;
        counts.set(line, n - 1);
      }
    }
    return common;
  }
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      row[j] =
        a[i - 1] === b[j - 1] ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, row[j - 1] ?? 0);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length] ?? 0;
}

export function lineStats(before: string, after: string): { additions: number; deletions: number } {
  const a = lines(before);
  const b = lines(after);
  const common = commonLines(a, b);
  return { additions: b.length - common, deletions: a.length - common };
}

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  previousFilename?: string;
  /** blob sha after the change (before it, for removals) */
  sha: string;
  additions: number;
  deletions: number;
}

const RENAME_LIMIT = 1000;

/** Git's default rename threshold: at least half of the content is unchanged. */
function similar(before: string, after: string): boolean {
  const a = lines(before);
  const b = lines(after);
  if (a.length + b.length === 0) return true;
  return (2 * commonLines(a, b)) / (a.length + b.length) >= 0.5;
}

/**
 * Changes between two snapshots (`path → content`), with renames found from explicit hints
 * (renames recorded by the commits in between), identical content, or similar content.
 */
export function diffSnapshots(
  before: Map<string, string>,
  after: Map<string, string>,
  hints: Map<string, string>,
): FileChange[] {
  const changes: FileChange[] = [];
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const added = new Set([...after.keys()].filter((p) => !before.has(p)));
  const renamed = new Map<string, string>();
  const pair = (from: string, to: string) => {
    renamed.set(to, from);
    added.delete(to);
  };
  for (const from of removed) {
    const hinted = hints.get(from);
    if (hinted && added.has(hinted)) pair(from, hinted);
  }
  // Like git's rename limit: inexact matching only while the candidate pairs are few.
  const inexact = removed.length * added.size <= RENAME_LIMIT;
  for (const from of removed) {
    if ([...renamed.values()].includes(from)) continue;
    const content = before.get(from) ?? "";
    const exact = [...added].find((to) => after.get(to) === content);
    const near =
      exact ??
      (inexact ? [...added].find((to) => similar(content, after.get(to) ?? "")) : undefined);
    if (near) pair(from, near);
  }
  const renamedFrom = new Set(renamed.values());
  const paths = new Set([...before.keys(), ...after.keys()]);
  for (const path of [...paths].sort()) {
    const old = before.get(path);
    const now = after.get(path);
    if (now === undefined) {
      if (renamedFrom.has(path) || old === undefined) continue;
      changes.push({ filename: path, status: "removed", sha: blobSha(old), ...lineStats(old, "") });
    } else if (old === undefined) {
      const from = renamed.get(path);
      if (from !== undefined) {
        const prior = before.get(from) ?? "";
        changes.push({
          filename: path,
          status: "renamed",
          previousFilename: from,
          sha: blobSha(now),
          ...lineStats(prior, now),
        });
      } else {
        changes.push({ filename: path, status: "added", sha: blobSha(now), ...lineStats("", now) });
      }
    } else if (old !== now) {
      changes.push({
        filename: path,
        status: "modified",
        sha: blobSha(now),
        ...lineStats(old, now),
      });
    }
  }
  return changes;
}
