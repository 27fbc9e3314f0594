/**
 * What a signed payload must hold before it reaches the handlers: a JSON object, with the fields
 * the app's handlers read when it is an event they handle. Anything else gets a one-line reason
 * (answered 400).
 */
import { z } from "zod";
import { ISSUE_EVENTS } from "../handlers/issues.js";
import { PULL_REQUEST_EVENTS } from "../handlers/pull-request.js";

const account = z.object({ login: z.string() });
const installation = z.object({ id: z.number() });
const repository = z.object({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  owner: account,
  html_url: z.string(),
});
const withAction = { action: z.string(), repository, installation };

/** The events and actions src/index.ts hands to a handler; others only need to be an object. */
const HANDLED = new Set<string>([
  "push",
  ...ISSUE_EVENTS,
  ...PULL_REQUEST_EVENTS,
  "check_suite.rerequested",
  "check_run.rerequested",
]);

const EVENTS: Record<string, z.ZodType> = {
  push: z.object({
    ref: z.string(),
    before: z.string(),
    after: z.string(),
    deleted: z.boolean().optional(),
    head_commit: z.object({ timestamp: z.string() }).nullable().optional(),
    repository: repository.extend({ default_branch: z.string() }),
    installation,
  }),
  issues: z.object({
    ...withAction,
    sender: account,
    issue: z.object({
      number: z.number(),
      title: z.string(),
      body: z.string().nullable().optional(),
      state: z.string(),
      labels: z.array(z.union([z.string(), z.object({ name: z.string().optional() })])),
      created_at: z.string(),
      user: account.nullable(),
    }),
  }),
  pull_request: z.object({
    ...withAction,
    pull_request: z.object({ number: z.number(), head: z.object({ sha: z.string() }) }),
  }),
  check_suite: z.object({
    ...withAction,
    check_suite: z.object({ head_sha: z.string().nullable(), pull_requests: z.array(z.unknown()) }),
  }),
  check_run: z.object({
    ...withAction,
    check_run: z.object({
      check_suite: z
        .object({ head_sha: z.string().nullable(), pull_requests: z.array(z.unknown()) })
        .nullable(),
    }),
  }),
};

export type PayloadCheck =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: string };

/** Parses and checks a payload whose signature has been verified. */
export function checkPayload(event: string, text: string): PayloadCheck {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { ok: false, reason: "payload is not valid JSON" };
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    const kind =
      payload === null ? "null" : Array.isArray(payload) ? "an array" : `a ${typeof payload}`;
    return { ok: false, reason: `payload is ${kind}, not a JSON object` };
  }
  const action = (payload as { action?: unknown }).action;
  if (event in EVENTS && event !== "push" && typeof action !== "string") {
    return { ok: false, reason: `${event} payload: action is missing` };
  }
  const handled = HANDLED.has(event) || HANDLED.has(`${event}.${action}`);
  const result = handled ? EVENTS[event]?.safeParse(payload) : undefined;
  if (result && !result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join(".") || "payload";
    const missing = issue?.code === "invalid_type" && issue.message.endsWith("received undefined");
    const message = (issue?.message ?? "invalid").replace(/^Invalid input: /, "");
    const reason = missing ? `${path} is missing` : `${path}: ${message}`;
    return { ok: false, reason: `${event} payload: ${reason}` };
  }
  // The payload as sent, not the parsed copy (which keeps only the fields checked).
  return { ok: true, payload: payload as Record<string, unknown> };
}
