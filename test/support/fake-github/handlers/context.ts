import type { FakeResponse } from "../http.js";
import { notFound } from "../http.js";
import type { UserRecord, World } from "../model.js";
import type { Operation } from "../openapi.js";
import type { Actor, FakeRepo } from "../repo.js";

/** What handlers need from the fake beyond one repository. */
export interface Server extends World {
  findRepo(owner: string, name: string): FakeRepo | undefined;
  repoList(): FakeRepo[];
  installationIds(): number[];
  installationAccount(id: number): UserRecord | undefined;
  issueToken(installationId: number): { token: string; expiresAt: Date };
}

export interface Ctx {
  server: Server;
  op: Operation;
  /** Path and query parameters, typed per the description (integers are numbers). */
  params: Record<string, unknown>;
  body: Record<string, unknown>;
  url: URL;
  accept: string;
  actor: Actor;
  /** Installation of the token the request carried, if the fake issued it. */
  installationId: number | null;
}

export type Handler = (ctx: Ctx) => FakeResponse;

export function repoOf(ctx: Ctx): FakeRepo {
  const repo = ctx.server.findRepo(String(ctx.params.owner), String(ctx.params.repo));
  if (!repo) throw notFound();
  return repo;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
