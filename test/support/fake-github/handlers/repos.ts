import { type FakeResponse, json, notFound, paginate } from "../http.js";
import type { CommitRecord } from "../model.js";
import { renderRepository } from "../render-accounts.js";
import {
  base64Lines,
  renderCommit,
  renderContentEntry,
  renderDiffEntry,
  renderGitRef,
  renderTree,
} from "../render-git.js";
import type { FakeRepo } from "../repo.js";
import { type Ctx, type Handler, repoOf, str } from "./context.js";

function commitAt(repo: FakeRepo, ref: string): CommitRecord {
  if (repo.commits.size === 0) throw notFound("Git Repository is empty.");
  const commit = repo.resolveCommit(ref);
  if (!commit) throw notFound(`No commit found for the ref ${ref}`);
  return commit;
}

function wantsMedia(ctx: Ctx, format: string): boolean {
  return new RegExp(`application/vnd\\.github(\\.v3)?\\.${format}\\b`).test(ctx.accept);
}

function contents(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  if (repo.commits.size === 0) throw notFound("This repository is empty.");
  const ref = str(ctx.params.ref) ?? repo.defaultBranch;
  const commit = commitAt(repo, ref);
  const path = String(ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const blob = commit.files.get(path);
  if (blob !== undefined) {
    const text = repo.blobs.get(blob) ?? "";
    if (wantsMedia(ctx, "raw")) {
      return { status: 200, raw: { text, mediaType: "application/vnd.github.raw" } };
    }
    const entry = renderContentEntry(
      repo,
      { path, type: "file", sha: blob, size: Buffer.byteLength(text) },
      ref,
    );
    const body = { ...entry, content: base64Lines(text), encoding: "base64" };
    if (wantsMedia(ctx, "object"))
      return { status: 200, body, mediaType: "application/vnd.github.object" };
    return json(200, body);
  }
  const tree = commit.dirs.get(path);
  if (tree === undefined) throw notFound();
  const entries = (repo.trees.get(tree) ?? []).map((e) => {
    const full = path ? `${path}/${e.name}` : e.name;
    return renderContentEntry(
      repo,
      { path: full, type: e.type === "tree" ? "dir" : "file", sha: e.sha, size: e.size ?? 0 },
      ref,
    );
  });
  if (wantsMedia(ctx, "object")) {
    const self = renderContentEntry(repo, { path, type: "dir", sha: tree, size: 0 }, ref);
    return { status: 200, body: { ...self, entries }, mediaType: "application/vnd.github.object" };
  }
  return json(200, entries);
}

function withFiles(repo: FakeRepo, commit: CommitRecord, ctx: Ctx): FakeResponse {
  const parent = commit.parents[0] ?? "";
  const changes = repo.diff(parent, commit.sha);
  // More than 300 changed files are paged through Link headers.
  const page = paginate(changes, ctx.url, ctx.params, { perPage: 300, maxPerPage: 300 });
  const additions = changes.reduce((n, c) => n + c.additions, 0);
  const deletions = changes.reduce((n, c) => n + c.deletions, 0);
  return json(
    200,
    {
      ...renderCommit(repo, commit),
      stats: { total: additions + deletions, additions, deletions },
      files: page.items.map((c) => renderDiffEntry(repo, c, commit.sha)),
    },
    page.headers,
  );
}

function compare(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  // The older `compare/{base}...{head}` route matches the same URLs.
  const basehead =
    str(ctx.params.basehead) ?? `${String(ctx.params.base)}...${String(ctx.params.head)}`;
  const m = /^(.+?)\.\.\.(.+)$/.exec(basehead);
  if (!m) throw notFound();
  // `owner:branch` names a branch in a fork of the same network; all live here.
  const side = (ref: string) => commitAt(repo, ref.replace(/^[^:]+:/, ""));
  const base = side(m[1] ?? "");
  const head = side(m[2] ?? "");
  const mergeBase = repo.mergeBase(base.sha, head.sha);
  if (!mergeBase) throw notFound(`No common ancestor between ${m[1]} and ${m[2]}.`);
  const ahead = repo.commitsBetween(base.sha, head.sha);
  const behind = repo.commitsBetween(head.sha, base.sha);
  const status =
    base.sha === head.sha
      ? "identical"
      : behind.length === 0
        ? "ahead"
        : ahead.length === 0
          ? "behind"
          : "diverged";
  const paged = ctx.params.per_page !== undefined || ctx.params.page !== undefined;
  const page = paged
    ? paginate(ahead, ctx.url, ctx.params)
    : { items: ahead.slice(-250), headers: {} };
  const showFiles = !paged || Number(ctx.params.page ?? 1) <= 1;
  const files = repo.diff(mergeBase, head.sha).slice(0, 300);
  const mergeBaseCommit = repo.commits.get(mergeBase) as CommitRecord;
  return json(
    200,
    {
      url: `${repo.apiBase}/compare/${basehead}`,
      html_url: `${repo.htmlBase}/compare/${basehead}`,
      permalink_url: `${repo.htmlBase}/compare/${repo.owner.login}:${base.sha}...${repo.owner.login}:${head.sha}`,
      diff_url: `${repo.htmlBase}/compare/${basehead}.diff`,
      patch_url: `${repo.htmlBase}/compare/${basehead}.patch`,
      base_commit: renderCommit(repo, base),
      merge_base_commit: renderCommit(repo, mergeBaseCommit),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: page.items.map((c) => renderCommit(repo, c)),
      files: showFiles ? files.map((f) => renderDiffEntry(repo, f, head.sha)) : [],
    },
    page.headers,
  );
}

function tree(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const ref = String(ctx.params.tree_sha);
  const rootSha = repo.trees.has(ref) ? ref : repo.resolveCommit(ref)?.tree;
  if (!rootSha) throw notFound();
  return json(200, renderTree(repo, rootSha, ctx.params.recursive !== undefined));
}

function branch(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const name = String(ctx.params.branch);
  const sha = repo.branches.get(name);
  if (!sha) throw notFound("Branch not found");
  const url = `${repo.apiBase}/branches/${encodeURIComponent(name)}`;
  return json(200, {
    name,
    commit: renderCommit(repo, repo.commits.get(sha) as CommitRecord),
    _links: { self: url, html: `${repo.htmlBase}/tree/${encodeURIComponent(name)}` },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
    },
    protection_url: `${url}/protection`,
  });
}

function gitRef(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const ref = String(ctx.params.ref);
  const name = ref.replace(/^heads\//, "");
  const sha = ref.startsWith("heads/") ? repo.branches.get(name) : undefined;
  if (!sha) throw notFound();
  return json(200, renderGitRef(repo, name, sha));
}

export const repoHandlers: Record<string, Handler> = {
  "repos/get": (ctx) => json(200, renderRepository(repoOf(ctx))),
  "repos/get-content": contents,
  "repos/compare-commits-with-basehead": compare,
  "repos/compare-commits": compare,
  "repos/get-commit": (ctx) => {
    const repo = repoOf(ctx);
    return withFiles(repo, commitAt(repo, String(ctx.params.ref)), ctx);
  },
  "repos/get-branch": branch,
  "git/get-tree": tree,
  "git/get-ref": gitRef,
};
