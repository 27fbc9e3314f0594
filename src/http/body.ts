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
 * limit, reading stops and BodyTooLarge is thrown, with the request left paused.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  declaredLength(req, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new Error("the client closed the connection before the body ended"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
