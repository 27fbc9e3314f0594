/** Small answers: one line of plain text. */
import type { IncomingMessage, ServerResponse } from "node:http";

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(`${text}\n`);
}

/**
 * Answers a request whose body is left unread, and closes the connection: the client may still be
 * sending it, and nothing more of it is read than Node needs to close the socket cleanly.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, text: string) {
  req.pause();
  sendText(res, status, text, { connection: "close" });
}

/** The path of a request, without its query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
