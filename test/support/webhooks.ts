import { createHmac, randomUUID } from "node:crypto";
import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import type { Probot } from "probot";

export * from "./webhooks/checks.js";
export * from "./webhooks/installation.js";
export * from "./webhooks/issues.js";
export {
  type Actor,
  APP,
  APP_BOT,
  DEFAULT_INSTALLATION_ID,
  DEFAULT_SENDER,
  fakeSha,
  type Json,
  type LabelInput,
  type MilestoneInput,
  type RepoRef,
  ZERO_SHA,
} from "./webhooks/objects.js";
export * from "./webhooks/pull-request.js";
export * from "./webhooks/push.js";
export { validateWebhook, webhookKey } from "./webhooks/schema.js";

/** The `x-hub-signature-256` header GitHub sends for `body` signed with `secret`. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Hands a payload to Probot as a delivery of `eventName` (`issues` or `issues.closed`; the
 * action part is dropped, Probot reads it from the payload).
 */
export async function deliver<E extends EmitterWebhookEventName>(
  probot: Probot,
  eventName: E,
  payload: EmitterWebhookEvent<E>["payload"],
  id: string = randomUUID(),
): Promise<void> {
  const name = eventName.split(".")[0];
  await probot.receive({ id, name, payload } as EmitterWebhookEvent);
}
