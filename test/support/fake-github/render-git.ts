/** REST representations of commits, file changes and contents. */
import { iso } from "./dates.js";
import { commitText, type FileChange } from "./git.js";
import type { CommitRecord } from "./model.js";
import { encodePath, nodeId, type Rest, renderLogin } from "./render-accounts.js";
import type { FakeRepo } from "./repo.js";

/** Author and committer as git records them. */
function identities(commit: CommitRecord) {
  const author = { name: commit.author.name, email: commit.author.email, date: iso(commit.date) };
  const by = commit.committer;
  const committer = by ? { name: by.name, email: by.email, date: iso(by.date) } : author;
  return { author, committer };
}

/** GitHub signs the commits an app makes through the API under its own identity. */
function verification(commit: CommitRecord): Rest {
  if (!commit.signed) {
    return {
      verified: false,
      reason: "unsigned",
      signature: null,
      payload: null,
      verified_at: null,
    };
  }
  const by = commit.committer ?? { ...commit.author, date: commit.date };
  return {
    verified: true,
    reason: "valid",
    signature: `-----BEGIN PGP SIGNATURE-----\n\n${Buffer.from(commit.sha).toString("base64")}\n-----END PGP SIGNATURE-----\n`,
    payload: commitText(
      commit.tree,
      commit.parents,
      commit.author,
      commit.date,
      commit.message,
      by,
    ),
    verified_at: iso(by.date),
  };
}

export function renderCommit(repo: FakeRepo, commit: CommitRecord): Rest {
  const world = repo.world;
  const url = `${repo.apiBase}/commits/${commit.sha}`;
  const who = identities(commit);
  const login = (id: { login: string | null }) => (id.login ? renderLogin(world, id.login) : null);
  return {
    url,
    sha: commit.sha,
    node_id: nodeId("C", commit.sha),
    html_url: `${repo.htmlBase}/commit/${commit.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${repo.apiBase}/git/commits/${commit.sha}`,
      author: who.author,
      committer: who.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: `${repo.apiBase}/git/trees/${commit.tree}` },
      comment_count: 0,
      verification: verification(commit),
    },
    author: login(commit.author),
    committer: login(commit.committer ?? commit.author),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repo.apiBase}/commits/${sha}`,
      html_url: `${repo.htmlBase}/commit/${sha}`,
    })),
  };
}

export function renderDiffEntry(repo: FakeRepo, change: FileChange, commitSha: string): Rest {
  const path = encodePath(change.filename);
  const out: Rest = {
    sha: change.sha,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${repo.htmlBase}/blob/${commitSha}/${path}`,
    raw_url: `${repo.htmlBase}/raw/${commitSha}/${path}`,
    contents_url: `${repo.apiBase}/contents/${path}?ref=${commitSha}`,
  };
  if (change.previousFilename !== undefined) out.previous_filename = change.previousFilename;
  return out;
}

/** A file or directory entry as the contents API lists it. */
export function renderContentEntry(
  repo: FakeRepo,
  entry: { path: string; type: "file" | "dir"; sha: string; size: number },
  ref: string,
): Rest {
  const path = encodePath(entry.path);
  const self = `${repo.apiBase}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${repo.apiBase}/git/${entry.type === "dir" ? "trees" : "blobs"}/${entry.sha}`;
  const html = `${repo.htmlBase}/${entry.type === "dir" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${path}`;
  return {
    type: entry.type,
    size: entry.size,
    name: entry.path.slice(entry.path.lastIndexOf("/") + 1),
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      entry.type === "file"
        ? `https://raw.githubusercontent.com/${repo.fullName}/${encodeURIComponent(ref)}/${path}`
        : null,
    _links: { self, git, html },
  };
}

/** base64 wrapped at 60 columns, as the contents API sends it */
export function base64Lines(text: string): string {
  const encoded = Buffer.from(text, "utf8").toString("base64");
  return `${encoded.replace(/.{60}/g, "$&\n")}${encoded.length % 60 === 0 && encoded.length ? "" : "\n"}`;
}

/** A commit as the git database API shows it (`git/get-commit`, `git/create-commit`). */
export function renderGitCommit(repo: FakeRepo, commit: CommitRecord): Rest {
  const url = `${repo.apiBase}/git/commits/${commit.sha}`;
  return {
    sha: commit.sha,
    node_id: nodeId("C", commit.sha),
    url,
    html_url: `${repo.htmlBase}/commit/${commit.sha}`,
    ...identities(commit),
    tree: { sha: commit.tree, url: `${repo.apiBase}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repo.apiBase}/git/commits/${sha}`,
      html_url: `${repo.htmlBase}/commit/${sha}`,
    })),
    verification: verification(commit),
  };
}

/** A branch as the git database API shows it. */
export function renderGitRef(repo: FakeRepo, branch: string, sha: string): Rest {
  return {
    ref: `refs/heads/${branch}`,
    node_id: `REF_${Buffer.from(branch).toString("base64url")}`,
    url: `${repo.apiBase}/git/refs/heads/${encodePath(branch)}`,
    object: { type: "commit", sha, url: `${repo.apiBase}/git/commits/${sha}` },
  };
}

/** A stored tree: its entries, or every entry below it when `recursive`. */
export function renderTree(repo: FakeRepo, sha: string, recursive: boolean): Rest {
  const out: Rest[] = [];
  const walk = (tree: string, prefix: string) => {
    for (const e of repo.trees.get(tree) ?? []) {
      const path = prefix + e.name;
      const kind = e.type === "tree" ? "trees" : "blobs";
      out.push({
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === "blob" ? { size: e.size ?? 0 } : {}),
        url: `${repo.apiBase}/git/${kind}/${e.sha}`,
      });
      if (recursive && e.type === "tree") walk(e.sha, `${path}/`);
    }
  };
  walk(sha, "");
  return { sha, url: `${repo.apiBase}/git/trees/${sha}`, tree: out, truncated: false };
}
