/**
 * The fake GitHub on a local port, for code that runs in another process (the Action's bundle):
 * each HTTP request is handed to the fake's `fetch` and its answer written back.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeGitHub } from "./fake-github/index.js";

export interface ServedFake {
  /** The API's base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Method and path (with query) of every request, in order. */
  requests: string[];
  close: () => Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function serveFakeGitHub(gh: FakeGitHub): Promise<ServedFake> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const method = (req.method ?? "GET").toUpperCase();
      const body = method === "GET" || method === "HEAD" ? undefined : await bodyOf(req);
      try {
        const response = await gh.fetch(`http://${req.headers.host}${req.url}`, {
          method,
          headers,
          body,
        });
        const text = Buffer.from(await response.arrayBuffer());
        response.headers.forEach((value, name) => {
          if (name !== "content-length" && name !== "content-encoding") res.setHeader(name, value);
        });
        res.statusCode = response.status;
        res.end(text);
      } catch {
        // A simulated network failure: the connection drops without an answer.
        res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
