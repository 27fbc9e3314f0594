/** Reading a request body with a size limit, without holding more than the limit. */
import type { IncomingMessage } from "node:http";

/** GitHub caps webhook payloads at 25 MB. */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    const MB = 1024 * 1024;
    super(`payload over the ${limit % MB === 0 ? `${limit / MB} MB` : `${limit} bytes`} limit`);
  }
}

/** Requests waiting for more deliveries' bodies than the budget holds at once. */
export class BodyBudgetSpent extends Error {
  constructor() {
    super("too many large deliveries at once: redeliver later");
  }
}

/**
 * Bytes of bodies held at once across all requests, before their signatures are checked: many
 * large uploads at once get refused instead of adding up.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.used;
  }

  take(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** The declared length, or null for a chunked body; a declared length over the limit throws. */
export function declaredLength(req: IncomingMessage, limit: number): number | null {
  const value = req.headers["content-length"];
  if (value === undefined) return null;
  // Node's parser has already refused lengths that are not a decimal number.
  const length = Number(value);
  if (length > limit) throw new BodyTooLarge(limit);
  return length;
}

/**
 * The whole body, counting bytes as they arrive (chunked bodies declare no length): past the
 * limit, reading stops and BodyTooLarge is thrown, with the request left paused. The bytes are
 * taken from `budget` as they arrive (BodyBudgetSpent when it has none left); the caller gives
 * back the body's length when done with it, and a failed read gives back what it took.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  budget = new ByteBudget(limit),
): Promise<Buffer> {
  declaredLength(req, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error) => {
      done();
      req.pause();
      chunks.length = 0;
      budget.give(size);
      reject(error);
    };
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return fail(new BodyTooLarge(limit));
      if (!budget.take(chunk.length)) return fail(new BodyBudgetSpent());
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => fail(error);
    const onClose = () => fail(new Error("the client closed the connection before the body ended"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
