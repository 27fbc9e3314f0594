import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { example } from "./examples.js";
import {
  type Actor,
  APP,
  APP_EVENTS,
  APP_PERMISSIONS,
  child,
  DEFAULT_SENDER,
  type Json,
  makeUser,
  nodeId,
  type RepoRef,
  resolveRepo,
  timestamp,
} from "./objects.js";
import { assertValidWebhook } from "./schema.js";

export type InstallationAction =
  | "created"
  | "deleted"
  | "suspend"
  | "unsuspend"
  | "new_permissions_accepted";

export type InstallationPayload<A extends InstallationAction = InstallationAction> =
  EmitterWebhookEvent<`installation.${A}`>["payload"];

export type InstallationRepositoriesPayload<A extends "added" | "removed" = "added" | "removed"> =
  EmitterWebhookEvent<`installation_repositories.${A}`>["payload"];

/** The account the app is installed on; any {@link RepoRef} of that account works too. */
export type InstallationTarget = Pick<RepoRef, "owner" | "installationId" | "ownerType">;

export interface InstallationOptions {
  /** The repositories the installation can access (`selected`), or some of them (`all`). */
  repositories?: RepoRef[];
  /** Default `selected`. */
  repositorySelection?: "all" | "selected";
  /** Default {@link DEFAULT_SENDER}. */
  sender?: Actor;
}

export interface InstallationRepositoriesOptions {
  added?: RepoRef[];
  removed?: RepoRef[];
  /** Default `selected`. */
  repositorySelection?: "all" | "selected";
  /** Default {@link DEFAULT_SENDER}. */
  sender?: Actor;
}

function repositoryEntry(ref: RepoRef, target: InstallationTarget): Json {
  const repo = resolveRepo({ installationId: target.installationId, ...ref });
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: false,
  };
}

function patchInstallation(
  installation: Json,
  target: InstallationTarget,
  selection: "all" | "selected",
  suspendedBy: Json | null,
): void {
  // resolveRepo supplies the same defaults the other builders use.
  const account = resolveRepo({ ...target, name: "-" });
  const id = account.installationId;
  const user = makeUser({ login: account.owner, type: account.ownerType });
  const now = timestamp();
  Object.assign(installation, {
    id,
    account: user,
    repository_selection: selection,
    access_tokens_url: `https://api.github.com/app/installations/${id}/access_tokens`,
    repositories_url: "https://api.github.com/installation/repositories",
    html_url:
      account.ownerType === "Organization"
        ? `https://github.com/organizations/${account.owner}/settings/installations/${id}`
        : `https://github.com/settings/installations/${id}`,
    app_id: APP.id,
    app_slug: APP.slug,
    target_id: user.id,
    target_type: account.ownerType,
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
    // The schema wants ISO strings where older examples have epoch seconds.
    created_at: now,
    updated_at: now,
    single_file_name: null,
    suspended_by: suspendedBy,
    suspended_at: suspendedBy ? now : null,
  });
}

function envelope(payload: Json, sender: Actor): void {
  delete payload.enterprise;
  delete payload.organization;
  delete payload.repository;
  payload.sender = makeUser(sender);
}

/** An `installation` payload for the app installed on `target.owner`. */
export function installationPayload<A extends InstallationAction>(
  action: A,
  target: InstallationTarget,
  options: InstallationOptions = {},
): InstallationPayload<A> {
  const sender = options.sender ?? DEFAULT_SENDER;
  const payload = example("installation", action);
  envelope(payload, sender);
  patchInstallation(
    child(payload, "installation"),
    target,
    options.repositorySelection ?? "selected",
    action === "suspend" ? makeUser(sender) : null,
  );
  payload.repositories = (options.repositories ?? []).map((r) => repositoryEntry(r, target));
  payload.requester = null;
  assertValidWebhook(`installation.${action}`, payload, "installationPayload");
  return payload as unknown as InstallationPayload<A>;
}

/** An `installation_repositories` payload: repositories added to or removed from the app. */
export function installationRepositoriesPayload<A extends "added" | "removed">(
  action: A,
  target: InstallationTarget,
  options: InstallationRepositoriesOptions = {},
): InstallationRepositoriesPayload<A> {
  const sender = options.sender ?? DEFAULT_SENDER;
  const selection = options.repositorySelection ?? "selected";
  const payload = example("installation_repositories", action);
  envelope(payload, sender);
  patchInstallation(child(payload, "installation"), target, selection, null);
  payload.repository_selection = selection;
  payload.repositories_added = (options.added ?? []).map((r) => repositoryEntry(r, target));
  payload.repositories_removed = (options.removed ?? []).map((r) => repositoryEntry(r, target));
  payload.requester = null;
  assertValidWebhook(
    `installation_repositories.${action}`,
    payload,
    "installationRepositoriesPayload",
  );
  return payload as unknown as InstallationRepositoriesPayload<A>;
}
