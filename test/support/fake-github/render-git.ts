/** REST representations of commits, file changes and contents. */
import { iso } from "./dates.js";
import type { FileChange } from "./git.js";
import type { CommitRecord } from "./model.js";
import { encodePath, nodeId, type Rest, renderLogin } from "./render-accounts.js";
import type { FakeRepo } from "./repo.js";

export function renderCommit(repo: FakeRepo, commit: CommitRecord): Rest {
  const world = repo.world;
  const url = `${repo.apiBase}/commits/${commit.sha}`;
  const who = { name: commit.author.name, email: commit.author.email, date: iso(commit.date) };
  const user = commit.author.login ? renderLogin(world, commit.author.login) : null;
  return {
    url,
    sha: commit.sha,
    node_id: nodeId("C", commit.sha),
    html_url: `${repo.htmlBase}/commit/${commit.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${repo.apiBase}/git/commits/${commit.sha}`,
      author: who,
      committer: who,
      message: commit.message,
      tree: { sha: commit.tree, url: `${repo.apiBase}/git/trees/${commit.tree}` },
      comment_count: 0,
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: user,
    committer: user,
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
