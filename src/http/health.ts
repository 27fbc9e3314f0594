/** `/healthz` (the process answers), `/readyz` (it can do its work), `/metrics`, `/ping`. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { ReadinessCheck } from "./lifecycle.js";
import { pathOf, sendText } from "./respond.js";

export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

function isRead(req: IncomingMessage): boolean {
  return req.method === "GET" || req.method === "HEAD";
}

export const pingRoute: Route = (req, res) => {
  if (!isRead(req) || pathOf(req) !== "/ping") return false;
  sendText(res, 200, "PONG");
  return true;
};

export const healthRoute: Route = (req, res) => {
  if (!isRead(req) || pathOf(req) !== "/healthz") return false;
  sendText(res, 200, "ok");
  return true;
};

/** A check that has not answered by then counts as failed. */
export const READINESS_TIMEOUT_MS = 5_000;

/** Runs every check at once; the reasons of those that fail, in the checks' order. */
export async function unreadyReasons(
  checks: readonly ReadinessCheck[],
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<string[]> {
  const outcomes = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), late]);
        return null;
      } catch (error) {
        return `${name}: ${oneLine(error)}`;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return outcomes.filter((reason): reason is string => reason !== null);
}

export function readyRoute(
  checks: () => readonly ReadinessCheck[],
  stopping: () => boolean,
): Route {
  return async (req, res) => {
    if (!isRead(req) || pathOf(req) !== "/readyz") return false;
    const reasons = stopping() ? ["shutting down"] : await unreadyReasons(checks());
    if (reasons.length === 0) sendText(res, 200, "ready");
    else sendText(res, 503, `not ready: ${reasons.join("; ")}`);
    return true;
  };
}

export function metricsRoute(registry: Registry): Route {
  return async (req, res) => {
    if (!isRead(req) || pathOf(req) !== "/metrics") return false;
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType });
    res.end(text);
    return true;
  };
}

export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.trim() || "failed";
}
