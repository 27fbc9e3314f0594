/** Small answers: one line of plain text. */
import type { IncomingMessage, ServerResponse } from "node:http";

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** How long a refused upload may go on after the answer, so the client can read the answer. */
export const LINGER_MS = 10_000;

/**
 * Answers a request whose body the app will not read. If the upload goes on, the connection is
 * closed after LINGER_MS: closing at once would reset it with the upload still arriving, and the
 * client could lose the answer. Meanwhile Node discards what arrives (nothing is kept).
 */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  sendText(res, status, text, headers);
  res.once("finish", () => {
    if (req.complete) return;
    req.resume();
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    req.socket.once("close", () => clearTimeout(timer));
  });
}

/** The path of a request, without its query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
