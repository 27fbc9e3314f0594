/**
 * RepoClient's calls for writing back to a repository: a commit on the app's own branch, built
 * with the git database API, and the pull request that proposes it — against the fake GitHub.
 */
import { describe, expect, it } from "vitest";
import { type ClientOptions, RepoClient, WriteBudgetExceeded } from "../src/github/client.js";
import { markerKey, markerSigner } from "../src/github/marker-signature.js";
import { FollowThroughOctokit } from "../src/octokit.js";
import { type FakeGitHub, useFakeGitHub } from "./support/fake-github/index.js";
import { fakeOctokit } from "./support/harness.js";

const doc = "docs/postmortems/2026-03-01-db.md";
const branch = "follow-through/2026-03-01-db";
const original = "# DB outage\n\n| Action | Owner |\n| --- | --- |\n| Add alerting | @alice |\n";
const linked = original.replace("Add alerting", "Add alerting (#12)");
const signer = markerSigner(markerKey("write-back test secret"), "acme/platform");
const marker = '<!-- follow-through:tracking {"doc":"docs/postmortems/2026-03-01-db.md"} -->';

const github = useFakeGitHub({ now: () => new Date("2026-03-02T09:00:00Z") });

/** acme/platform with a post-mortem on main; the client signs markers for it. */
function setup(gh: FakeGitHub, options: ClientOptions = {}) {
  const repo = gh.addRepo("acme", "platform", { installationId: 1 });
  repo.addCollaborator("alice");
  const synced = repo.commit({ [doc]: original, "README.md": "# platform\n" });
  const Octokit = fakeOctokit(gh);
  const octokit = new Octokit({ auth: { token: gh.installationToken(1) } });
  const client = new RepoClient(octokit, "acme", "platform", { markers: signer, ...options });
  return { repo, synced, client };
}

/** The commit the write-back proposes, on the app's branch. */
async function proposed(client: RepoClient, synced: string) {
  const sha = await client.commitFile({
    parent: synced,
    path: doc,
    content: linked,
    message: "Link the follow-up issues of the DB outage",
  });
  await client.setBranch(branch, sha);
  return sha;
}

describe("RepoClient git writes", () => {
  it("reads a commit's tree in one read", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    expect(await client.commitTree(synced)).toBe(repo.commits.get(synced)?.tree);
    expect(client.counts).toEqual({ reads: 1, writes: 0 });
  });

  it("commits one file on top of a parent, leaving the rest of its tree and every branch alone", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    const sha = await client.commitFile({
      parent: synced,
      path: doc,
      content: linked,
      message: "Link the follow-up issues",
    });
    expect(repo.file(doc, sha)).toBe(linked);
    expect(repo.file("README.md", sha)).toBe("# platform\n");
    expect(repo.commits.get(sha)).toMatchObject({
      parents: [synced],
      message: "Link the follow-up issues",
      author: { login: "follow-through[bot]" },
      signed: true,
    });
    expect(repo.head()).toBe(synced);
    expect([...repo.branches.keys()]).toEqual(["main"]);
    expect(gh.writes().map((w) => w.operationId)).toEqual(["git/create-tree", "git/create-commit"]);
    expect(client.counts).toEqual({ reads: 1, writes: 2 });
  });

  it("creates the branch when it is missing (the move is refused first), and force-moves it after", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    const first = await proposed(client, synced);
    expect(repo.head(branch)).toBe(first);
    expect(gh.writes().map((w) => [w.operationId, w.status])).toEqual([
      ["git/create-tree", 201],
      ["git/create-commit", 201],
      ["git/update-ref", 422],
      ["git/create-ref", 201],
    ]);

    // main moves on; the new proposal is not a descendant of the old one, so only force moves it.
    const resynced = repo.commit({ "README.md": "# platform, again\n" });
    gh.resetRequests();
    const second = await proposed(client, resynced);
    expect(repo.ancestors(second).has(first)).toBe(false);
    expect(repo.head(branch)).toBe(second);
    expect(repo.file("README.md", branch)).toBe("# platform, again\n");
    expect(gh.writes().map((w) => [w.operationId, w.status])).toEqual([
      ["git/create-tree", 201],
      ["git/create-commit", 201],
      ["git/update-ref", 200],
    ]);
    expect(client.counts.writes).toBe(7);
  });

  it("moves the branch after all when another delivery created it between the two tries", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    const sha = await client.commitFile({
      parent: synced,
      path: doc,
      content: linked,
      message: "m",
    });
    repo.createBranch(branch, synced);
    // The move is answered as if the branch were still missing: it was created just after.
    gh.failNext({
      operationId: "git/update-ref",
      status: 422,
      body: { message: "Reference does not exist", documentation_url: "https://docs.github.com" },
    });
    await client.setBranch(branch, sha);
    expect(repo.head(branch)).toBe(sha);
    expect(
      gh
        .writes()
        .map((w) => [w.operationId, w.status])
        .slice(2),
    ).toEqual([
      ["git/update-ref", 422],
      ["git/create-ref", 422],
      ["git/update-ref", 200],
    ]);
  });

  it("creates first when told the branch is new: one write, or a move after all when it exists", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    const sha = await client.commitFile({
      parent: synced,
      path: doc,
      content: linked,
      message: "m",
    });
    gh.resetRequests();
    await client.setBranch(branch, sha, false);
    expect(repo.head(branch)).toBe(sha);
    expect(gh.writes().map((w) => [w.operationId, w.status])).toEqual([["git/create-ref", 201]]);
    // A branch a closed pull request left: the create is refused, the move made.
    const next = await client.commitFile({
      parent: synced,
      path: doc,
      content: `${linked}\n`,
      message: "m",
    });
    gh.resetRequests();
    await client.setBranch(branch, next, false);
    expect(repo.head(branch)).toBe(next);
    expect(gh.writes().map((w) => [w.operationId, w.status])).toEqual([
      ["git/create-ref", 422],
      ["git/update-ref", 200],
    ]);
  });

  it("does not swallow other refusals: a commit GitHub does not have", async () => {
    const gh = github();
    const { repo, client } = setup(gh);
    await expect(client.setBranch(branch, "a".repeat(40))).rejects.toMatchObject({ status: 422 });
    expect(repo.head(branch)).toBeUndefined();
    await expect(
      client.commitFile({ parent: "b".repeat(40), path: doc, content: linked, message: "m" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("RepoClient pull requests", () => {
  it("opens a pull request as the app, its marker signed on GitHub and verified on the way back", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    const head = await proposed(client, synced);
    const pull = await client.createPull({
      title: "Link the follow-up issues of the DB outage",
      body: `Issues for each action.\n\n${marker}`,
      head: branch,
      base: "main",
    });
    expect(pull).toEqual({
      number: 1,
      state: "open",
      merged: false,
      author: "follow-through[bot]",
      title: "Link the follow-up issues of the DB outage",
      body: `Issues for each action.\n\n${marker}`,
      headRef: branch,
      headSha: head,
      baseRef: "main",
      htmlUrl: "https://github.com/acme/platform/pull/1",
    });
    const stored = repo.pulls()[0]?.body ?? "";
    expect(stored).toBe(signer.sign(`Issues for each action.\n\n${marker}`));
    expect(stored).not.toContain(marker);
    expect(await client.pullsFromBranch(branch)).toEqual([pull]);
  });

  it("answers the open pull request another delivery opened, and null when there is nothing to propose", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    await proposed(client, synced);
    const input = { title: "Link", body: marker, head: branch, base: "main" };
    const first = await client.createPull(input);
    const again = await client.createPull(input);
    expect(again?.number).toBe(first?.number);
    expect(repo.pulls()).toHaveLength(1);

    repo.createBranch("follow-through/empty", synced);
    expect(await client.createPull({ ...input, head: "follow-through/empty" })).toBeNull();
    await expect(client.createPull({ ...input, base: "nowhere" })).rejects.toMatchObject({
      status: 422,
    });
    expect(gh.countBy("pulls/create")).toBe(4);
  });

  it("lists the branch's pull requests newest first, in any state, and only that branch's", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    await proposed(client, synced);
    const input = { title: "Link", body: marker, head: branch, base: "main" };
    const first = await client.createPull(input);
    if (!first) throw new Error("no pull request");
    await client.updatePull(first, { state: "closed" });
    const second = await client.createPull(input);
    repo.commit({ "other.md": "x\n" }, { branch: "other" });
    repo.openPullRequest({ head: "other", title: "Someone else's" });
    if (!second) throw new Error("no pull request");
    repo.mergePull(second.number);
    // A marker a person wrote (unsigned) does not verify.
    repo.userUpdateIssue(first.number, { body: `copied\n\n${marker}` });

    const pulls = await client.pullsFromBranch(branch);
    expect(pulls.map((p) => [p.number, p.state, p.merged])).toEqual([
      [second.number, "closed", true],
      [first.number, "closed", false],
    ]);
    expect(pulls[1]?.body).toBe("copied\n\n");
  });

  it("edits, closes and reopens, signing the body; a reopen GitHub refuses is an error", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh);
    await proposed(client, synced);
    const pull = await client.createPull({ title: "Link", body: "b", head: branch, base: "main" });
    if (!pull) throw new Error("no pull request");
    const edited = await client.updatePull(pull, { title: "Link (2)", body: `new\n\n${marker}` });
    expect(edited).toMatchObject({ title: "Link (2)", body: `new\n\n${marker}`, state: "open" });
    expect(repo.pulls()[0]?.body).toBe(signer.sign(`new\n\n${marker}`));
    const closed = await client.updatePull(edited, { state: "closed" });
    expect(closed).toMatchObject({ state: "closed", merged: false });
    const reopened = await client.updatePull(closed, { state: "open" });
    expect(reopened.state).toBe("open");

    repo.mergePull(pull.number);
    await expect(client.updatePull(reopened, { state: "open" })).rejects.toMatchObject({
      status: 422,
    });
    expect(repo.pulls()[0]).toMatchObject({ state: "closed", merged: true });
  });
});

describe("RepoClient write-back accounting", () => {
  it("dry run: records every write it would make and sends none", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh, { dryRun: true });
    const sha = await proposed(client, synced);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const pull = await client.createPull({
      title: "Link",
      body: marker,
      head: branch,
      base: "main",
    });
    expect(pull).toMatchObject({ state: "open", headRef: branch, body: marker, baseRef: "main" });
    if (!pull) throw new Error("no pull request");
    expect(await client.updatePull(pull, { state: "closed" })).toMatchObject({ state: "closed" });
    expect(gh.writes()).toEqual([]);
    expect(repo.pulls()).toEqual([]);
    expect(repo.head(branch)).toBeUndefined();
    expect(client.plannedWrites.map((w) => w.what)).toEqual([
      "create tree",
      "create commit",
      "set branch",
      "create pull request",
      "update pull request",
    ]);
    // The parent's tree is still read: a dry run reads what a real run reads.
    expect(client.counts).toEqual({ reads: 1, writes: 5 });
  });

  it("stops at the write budget before sending the write beyond it", async () => {
    const gh = github();
    const { repo, synced, client } = setup(gh, { writeBudget: 3 });
    await expect(proposed(client, synced)).rejects.toBeInstanceOf(WriteBudgetExceeded);
    // tree, commit, the refused move; the create would have been the fourth write.
    expect(gh.writes().map((w) => w.operationId)).toEqual([
      "git/create-tree",
      "git/create-commit",
      "git/update-ref",
    ]);
    expect(repo.head(branch)).toBeUndefined();
  });

  it("with Octokit's retries on, repeats a failed tree or commit but never a pull request create", async () => {
    const gh = github();
    const { repo, synced } = setup(gh);
    const octokit = new (FollowThroughOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      request: { ...(options.request as object), fetch: gh.fetch },
      throttle: { ...(options.throttle as object), enabled: false },
      retry: { enabled: true, retryAfterBaseValue: 1 },
    })))({
      auth: { token: gh.installationToken(1) },
      log: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
    });
    const client = new RepoClient(octokit, "acme", "platform", { markers: signer });
    gh.failNext({ operationId: "git/create-tree", status: 502 });
    gh.failNext({ operationId: "git/create-commit", status: 502, processed: true });
    const sha = await proposed(client, synced);
    expect(repo.head(branch)).toBe(sha);
    expect(gh.countBy("git/create-tree")).toBe(2);
    expect(gh.countBy("git/create-commit")).toBe(2);

    gh.failNext({ operationId: "pulls/create", status: 502, processed: true });
    await expect(
      client.createPull({ title: "Link", body: marker, head: branch, base: "main" }),
    ).rejects.toMatchObject({ status: 502 });
    expect(gh.countBy("pulls/create")).toBe(1);
    expect(repo.pulls()).toHaveLength(1);
  });
});
