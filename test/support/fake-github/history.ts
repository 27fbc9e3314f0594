import {
  type BuiltTree,
  blobSha,
  buildTree,
  type CommitIdentity,
  commitSha,
  diffSnapshots,
  type FileChange,
  type TreeEntry,
} from "./git.js";
import type { CommitRecord, World } from "./model.js";

export interface CommitOptions {
  branch?: string;
  message?: string;
  /** old path → new path; the content moves unless `files` gives the new path new content */
  renames?: Record<string, string>;
  date?: Date;
  /** GitHub login of the author (commit `author` in REST responses) */
  author?: string;
  /** Where a new branch starts (branch, sha); defaults to the default branch head. */
  from?: string;
}

export interface CommitMeta {
  date: Date;
  author: CommitIdentity & { login: string | null };
  committer?: CommitIdentity & { login: string | null; date: Date };
  signed?: boolean;
  renames: Map<string, string>;
}

export function normalizePath(path: string): string {
  return path.replace(/^\/+/, "").replace(/\/+$/, "");
}

/** A repository's git history: blobs, trees, commits and branches, with git's object ids. */
export class GitHistory {
  readonly branches = new Map<string, string>();
  readonly commits = new Map<string, CommitRecord>();
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, TreeEntry[]>();
  pushedAt: Date | null = null;

  constructor(
    readonly world: World,
    readonly defaultBranch: string,
  ) {}

  /** Commits files (`null` deletes) on a branch and moves its head; returns the commit sha. */
  commit(files: Record<string, string | null>, options: CommitOptions = {}): string {
    const branch = options.branch ?? this.defaultBranch;
    let parent = this.branches.get(branch);
    if (parent === undefined) {
      parent = options.from
        ? this.resolveCommit(options.from)?.sha
        : this.branches.get(this.defaultBranch);
      if (options.from && !parent) throw new Error(`unknown ref ${options.from}`);
    }
    const snapshot = new Map(parent ? this.commits.get(parent)?.files : []);
    const renames = new Map<string, string>();
    for (const [from, to] of Object.entries(options.renames ?? {})) {
      const sha = snapshot.get(normalizePath(from));
      if (!sha) throw new Error(`cannot rename ${from}: no such file on ${branch}`);
      snapshot.delete(normalizePath(from));
      snapshot.set(normalizePath(to), sha);
      renames.set(normalizePath(from), normalizePath(to));
    }
    for (const [rawPath, content] of Object.entries(files)) {
      const path = normalizePath(rawPath);
      if (content === null) {
        if (!snapshot.delete(path)) throw new Error(`cannot delete ${path}: no such file`);
      } else {
        snapshot.set(path, this.storeBlob(content));
      }
    }
    const message =
      options.message ?? `Update ${Object.keys({ ...files, ...options.renames }).join(", ")}`;
    const login = options.author ?? null;
    return this.writeCommit(branch, parent ? [parent] : [], snapshot, message, {
      date: options.date ?? this.world.now(),
      author: login
        ? { name: login, email: `${login}@users.noreply.github.com`, login }
        : { name: "Fake Author", email: "author@example.com", login: null },
      renames,
    });
  }

  /** Stores a commit and moves `branch` to it, as a push does; returns its sha. */
  writeCommit(
    branch: string,
    parents: string[],
    files: Map<string, string>,
    message: string,
    meta: CommitMeta,
  ): string {
    const sha = this.storeCommit(parents, files, message, meta);
    this.branches.set(branch, sha);
    this.pushedAt = meta.date;
    return sha;
  }

  /** Stores a commit of `path → blob sha` without moving any branch; returns its sha. */
  storeCommit(
    parents: string[],
    files: Map<string, string>,
    message: string,
    meta: CommitMeta,
  ): string {
    const tree = this.storeTree(files);
    const sha = commitSha(tree.sha, parents, meta.author, meta.date, message, meta.committer);
    this.commits.set(sha, {
      sha,
      tree: tree.sha,
      parents,
      message,
      date: meta.date,
      author: meta.author,
      ...(meta.committer ? { committer: meta.committer } : {}),
      ...(meta.signed ? { signed: true } : {}),
      files,
      dirs: tree.dirs,
      renames: meta.renames,
    });
    return sha;
  }

  /** Stores the tree objects of `path → blob sha`. */
  storeTree(files: Map<string, string>): BuiltTree {
    const sizes = new Map(
      [...files].map(([path, sha]) => [path, Buffer.byteLength(this.blobs.get(sha) ?? "")]),
    );
    const tree = buildTree(files, sizes);
    for (const [sha, entries] of tree.trees) this.trees.set(sha, entries);
    return tree;
  }

  /** `path → blob sha` of a stored tree; undefined when there is no such tree. */
  treeFiles(sha: string): Map<string, string> | undefined {
    if (!this.trees.has(sha)) return undefined;
    const files = new Map<string, string>();
    const walk = (tree: string, prefix: string) => {
      for (const entry of this.trees.get(tree) ?? []) {
        if (entry.type === "tree") walk(entry.sha, `${prefix}${entry.name}/`);
        else files.set(`${prefix}${entry.name}`, entry.sha);
      }
    };
    walk(sha, "");
    return files;
  }

  /** Stores text as a blob; returns its sha. */
  storeBlob(content: string): string {
    const sha = blobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  /** Points a branch at a commit, as a push does. */
  moveBranch(name: string, sha: string): void {
    this.branches.set(name, sha);
    this.pushedAt = this.world.now();
  }

  /** Creates a branch at a ref (default: the default branch head); returns its sha. */
  createBranch(name: string, from: string = this.defaultBranch): string {
    const commit = this.resolveCommit(from);
    if (!commit) throw new Error(`unknown ref ${from}`);
    this.branches.set(name, commit.sha);
    return commit.sha;
  }

  // ---- git queries ---------------------------------------------------------------------------

  /** Branch name, `refs/heads/…`, full or abbreviated commit sha. */
  resolveCommit(ref: string): CommitRecord | undefined {
    const name = ref.replace(/^refs\/heads\//, "").replace(/^heads\//, "");
    const branch = this.branches.get(name);
    if (branch) return this.commits.get(branch);
    if (/^[0-9a-f]{4,40}$/i.test(ref)) {
      const lower = ref.toLowerCase();
      const exact = this.commits.get(lower);
      if (exact) return exact;
      const found = [...this.commits.keys()].filter((sha) => sha.startsWith(lower));
      if (found.length === 1 && found[0]) return this.commits.get(found[0]);
    }
    return undefined;
  }

  snapshot(sha: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const [path, blob] of this.commits.get(sha)?.files ?? []) {
      files.set(path, this.blobs.get(blob) ?? "");
    }
    return files;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** Nearest common ancestor, or undefined for unrelated histories. */
  mergeBase(a: string, b: string): string {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length) {
      const next = queue.shift() as string;
      if (fromA.has(next)) return next;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return "";
  }

  /** Commits reachable from head but not base, parents before children (`git log base..head`). */
  commitsBetween(base: string, head: string): CommitRecord[] {
    const excluded = base ? this.ancestors(base) : new Set<string>();
    const ordered: CommitRecord[] = [];
    const visited = new Set<string>();
    const visit = (sha: string) => {
      if (visited.has(sha) || excluded.has(sha)) return;
      visited.add(sha);
      const commit = this.commits.get(sha);
      if (!commit) return;
      for (const parent of commit.parents) visit(parent);
      ordered.push(commit);
    };
    visit(head);
    return ordered;
  }

  protected renameHints(base: string, head: string): Map<string, string> {
    const hints = new Map<string, string>();
    for (const commit of this.commitsBetween(base, head)) {
      for (const [from, to] of commit.renames) {
        const origin = [...hints].find(([, current]) => current === from)?.[0];
        if (origin !== undefined) hints.set(origin, to);
        else hints.set(from, to);
      }
    }
    return hints;
  }

  /** File changes from one commit to another (renames included). */
  diff(base: string, head: string): FileChange[] {
    return diffSnapshots(
      base ? this.snapshot(base) : new Map(),
      this.snapshot(head),
      this.renameHints(base, head),
    );
  }

  /** File content at a ref (default branch head by default), or undefined. */
  file(path: string, ref: string = this.defaultBranch): string | undefined {
    const commit = this.resolveCommit(ref);
    const sha = commit?.files.get(normalizePath(path));
    return sha === undefined ? undefined : this.blobs.get(sha);
  }

  /** Head sha of a branch. */
  head(branch: string = this.defaultBranch): string | undefined {
    return this.branches.get(branch);
  }
}
