/**
 * The webhook endpoint. In this order, so an unauthenticated request costs nothing: size (413,
 * unread), signature header (401), then the body read up to the limit, the signature verified
 * (401), the payload checked (400), and only then the event handed to the app.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import {
  BodyBudgetSpent,
  BodyTooLarge,
  ByteBudget,
  declaredLength,
  readBody,
  WEBHOOK_BODY_LIMIT,
} from "./body.js";
import { checkPayload } from "./payload.js";
import { header, pathOf, refuse, sendText } from "./respond.js";

export interface WebhookEvent {
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface WebhookLog {
  info: (message: string) => void;
  warn: (message: string) => void;
}

export interface WebhookOptions {
  path: string;
  secret: string;
  /** Hands the event to the app; resolves when its handlers are done. */
  receive: (event: WebhookEvent) => Promise<void>;
  log: WebhookLog;
  limit?: number;
  /** Bytes of unverified bodies held at once, all requests together (default: 4 × limit). */
  budget?: number;
  /** Told each answer: the event's name once its signature is verified, else `unverified`. */
  count?: (event: string, status: number) => void;
  /**
   * How long the answer waits for the handlers: done by then → 200, failed → 500 (503 when a
   * handler says to try later), still working → 202 and the work goes on. GitHub gives up on an
   * answer after 10 s.
   */
  answerWithinMs?: number;
}

const EVENT_NAME = /^[a-z_]{1,64}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

export class WebhookRoute {
  private readonly running = new Set<Promise<unknown>>();
  private readonly limit: number;
  private readonly answerWithinMs: number;
  readonly budget: ByteBudget;

  constructor(private readonly options: WebhookOptions) {
    this.limit = options.limit ?? WEBHOOK_BODY_LIMIT;
    this.answerWithinMs = options.answerWithinMs ?? 1_000;
    this.budget = new ByteBudget(options.budget ?? 4 * this.limit);
  }

  /** Deliveries whose handlers are still running. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Resolves when every delivery accepted so far has finished (failed ones too). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (pathOf(req) !== this.options.path) return false;
    if (req.method !== "POST") {
      refuse(req, res, 405, "webhooks are POSTed");
      return true;
    }
    const outcome = await this.accept(req);
    if ("refused" in outcome) {
      const [status, reason] = outcome.refused;
      this.options.log.info(`webhook refused (${status}): ${reason}`);
      this.options.count?.(outcome.verified ?? "unverified", status);
      const headers: Record<string, string> = status === 503 ? { "retry-after": "10" } : {};
      if (outcome.unread) refuse(req, res, status, reason, headers);
      else sendText(res, status, reason, headers);
      return true;
    }
    const [status, text] = await this.deliver(outcome.event);
    this.options.count?.(outcome.event.name, status);
    sendText(res, status, text);
    return true;
  };

  private async accept(
    req: IncomingMessage,
  ): Promise<
    { event: WebhookEvent } | { refused: [number, string]; unread: boolean; verified?: string }
  > {
    const refused = (status: number, reason: string, unread = true) => ({
      refused: [status, reason] as [number, string],
      unread,
    });
    try {
      declaredLength(req, this.limit);
    } catch (error) {
      if (error instanceof BodyTooLarge) return refused(413, error.message);
      throw error;
    }
    const signature = header(req, "x-hub-signature-256");
    if (!signature) return refused(401, "missing x-hub-signature-256 header");
    // A value that cannot be a signature never verifies: no need to read the body for it.
    if (!SIGNATURE.test(signature)) return refused(401, "malformed x-hub-signature-256 header");
    const name = header(req, "x-github-event");
    const id = header(req, "x-github-delivery");
    if (!name || !EVENT_NAME.test(name)) return refused(400, "missing or invalid x-github-event");
    if (!id) return refused(400, "missing x-github-delivery header");
    if (!/^application\/json\s*(;|$)/i.test(header(req, "content-type") ?? "")) {
      return refused(415, "content type must be application/json");
    }
    let body: Buffer;
    try {
      body = await readBody(req, this.limit, this.budget);
    } catch (error) {
      if (error instanceof BodyTooLarge) return refused(413, error.message);
      if (error instanceof BodyBudgetSpent) return refused(503, error.message);
      return refused(400, "the request body could not be read");
    }
    try {
      const text = body.toString("utf8");
      if (text.length === 0) return refused(400, "empty payload", false);
      if (!(await verify(this.options.secret, text, signature))) {
        return refused(401, "signature does not match the webhook secret", false);
      }
      const checked = checkPayload(name, text);
      if (!checked.ok) return { ...refused(400, checked.reason, false), verified: name };
      return { event: { id, name, payload: checked.payload } };
    } finally {
      this.budget.give(body.length);
    }
  }

  private async deliver(event: WebhookEvent): Promise<[number, string]> {
    const work = this.options.receive(event);
    this.running.add(work);
    // The app's error handlers log a failure; one after the answer must not go unhandled.
    const outcome = work.then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    void outcome.then(() => this.running.delete(work));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<"waiting">((resolve) => {
      timer = setTimeout(() => resolve("waiting"), this.answerWithinMs);
    });
    const first = await Promise.race([outcome, waited]);
    clearTimeout(timer);
    if (first === "waiting") return [202, "accepted"];
    if (first.ok) return [200, "ok"];
    this.options.log.warn(`${event.name} ${event.id}: the handlers failed`);
    return retryLater(first.error)
      ? [503, "cannot take this delivery now: redeliver it later"]
      : [500, "the delivery failed: see the app's log"];
  }
}

/** A handler error, or one of several (Probot gathers them), that asks to be retried later. */
function retryLater(error: unknown): boolean {
  const errors = error instanceof AggregateError ? error.errors : [error];
  return errors.some((e) => (e as { status?: unknown } | null)?.status === 503);
}
