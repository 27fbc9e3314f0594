import { errorBody, type FakeResponse, HttpError, json, notFound, paginate } from "../http.js";
import type { Annotation, CheckRunState } from "../model.js";
import { renderCheckRun } from "../render.js";
import { encodePath } from "../render-accounts.js";
import type { FakeRepo } from "../repo.js";
import { type Ctx, type Handler, repoOf, str } from "./context.js";

interface OutputBody {
  title?: string;
  summary?: string;
  text?: string;
  annotations?: Annotation[];
}

function unprocessable(ctx: Ctx, message: string, violation?: string): HttpError {
  return new HttpError(422, errorBody(422, message, ctx.op.docsUrl), violation);
}

/** Applies the writable fields of a create or update body to a run. */
function apply(ctx: Ctx, run: CheckRunState): void {
  const b = ctx.body;
  const now = ctx.server.now();
  const output = b.output as OutputBody | undefined;
  // The description says 65535 characters; GitHub counts bytes of UTF-8.
  for (const field of ["summary", "text"] as const) {
    const value = output?.[field];
    if (typeof value === "string" && Buffer.byteLength(value, "utf8") > 65_535) {
      throw unprocessable(
        ctx,
        `Validation Failed: ${field} exceeds a maximum bytesize of 65535`,
        `output.${field} is ${Buffer.byteLength(value, "utf8")} bytes; GitHub takes at most 65535`,
      );
    }
  }
  // At most 50 annotations per request: the description's `maxItems` enforces it.
  const annotations = output?.annotations ?? [];
  const conclusion = str(b.conclusion);
  const status = conclusion ? "completed" : (str(b.status) ?? run.status);
  if (status === "completed" && !conclusion && !run.conclusion) {
    throw unprocessable(
      ctx,
      'Invalid request.\n\nNo subschema in "anyOf" matched.\n`conclusion` is required when `status` is "completed".',
      "a completed check run needs a conclusion",
    );
  }
  if (str(b.name)) run.name = String(b.name);
  if (b.external_id !== undefined) run.externalId = str(b.external_id) ?? null;
  if (b.details_url !== undefined) run.detailsUrl = str(b.details_url) ?? null;
  if (b.started_at !== undefined) run.startedAt = new Date(String(b.started_at));
  run.status = status;
  if (conclusion) run.conclusion = conclusion;
  if (status === "completed") {
    run.completedAt = b.completed_at ? new Date(String(b.completed_at)) : (run.completedAt ?? now);
  }
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
    // Annotations accumulate across updates.
    run.annotations.push(...annotations);
  }
}

function runOf(ctx: Ctx): { repo: FakeRepo; run: CheckRunState } {
  const repo = repoOf(ctx);
  const run = repo.checkRunStore.get(Number(ctx.params.check_run_id));
  if (!run) throw notFound();
  return { repo, run };
}

function create(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const headSha = String(ctx.body.head_sha);
  const commit = repo.commits.get(headSha.toLowerCase());
  if (!commit) throw unprocessable(ctx, `No commit found for SHA: ${headSha}`);
  const run: CheckRunState = {
    id: ctx.server.nextId("check-run"),
    name: String(ctx.body.name),
    headSha: commit.sha,
    status: "queued",
    conclusion: null,
    startedAt: ctx.server.now(),
    completedAt: null,
    externalId: null,
    detailsUrl: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    checkSuiteId: ctx.server.nextId("check-suite"),
  };
  apply(ctx, run);
  repo.checkRunStore.set(run.id, run);
  return json(201, renderCheckRun(repo, run));
}

function listForRef(ctx: Ctx): FakeResponse {
  const repo = repoOf(ctx);
  const ref = String(ctx.params.ref);
  const commit = repo.resolveCommit(ref);
  if (!commit) throw unprocessable(ctx, `No commit found for SHA: ${ref}`);
  const name = str(ctx.params.check_name);
  const status = str(ctx.params.status);
  let runs = [...repo.checkRunStore.values()].filter(
    (r) =>
      r.headSha === commit.sha &&
      (name === undefined || r.name === name) &&
      (status === undefined || r.status === status),
  );
  if ((str(ctx.params.filter) ?? "latest") === "latest") {
    const newest = new Map<string, CheckRunState>();
    for (const r of runs) if ((newest.get(r.name)?.id ?? -1) < r.id) newest.set(r.name, r);
    runs = runs.filter((r) => newest.get(r.name) === r);
  }
  runs.sort((a, b) => b.id - a.id);
  const page = paginate(runs, ctx.url, ctx.params);
  return json(
    200,
    { total_count: runs.length, check_runs: page.items.map((r) => renderCheckRun(repo, r)) },
    page.headers,
  );
}

export const checkHandlers: Record<string, Handler> = {
  "checks/create": create,
  "checks/update": (ctx) => {
    const { repo, run } = runOf(ctx);
    apply(ctx, run);
    return json(200, renderCheckRun(repo, run));
  },
  "checks/get": (ctx) => {
    const { repo, run } = runOf(ctx);
    return json(200, renderCheckRun(repo, run));
  },
  "checks/list-for-ref": listForRef,
  "checks/list-annotations": (ctx) => {
    const { repo, run } = runOf(ctx);
    const all = run.annotations.map((a) => ({
      path: a.path,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: a.raw_details ?? null,
      blob_href: `${repo.htmlBase}/blob/${run.headSha}/${encodePath(a.path)}`,
    }));
    const page = paginate(all, ctx.url, ctx.params);
    return json(200, page.items, page.headers);
  },
};
