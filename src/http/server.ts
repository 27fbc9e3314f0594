/** A plain node:http server over a list of routes: the first that takes a request answers it. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Route } from "./health.js";
import { oneLine } from "./health.js";
import { sendText } from "./respond.js";

/** A whole request (headers and a 25 MB body) must arrive within this, or the socket closes. */
export const REQUEST_TIMEOUT_MS = 60_000;

export function createRouterServer(
  routes: readonly Route[],
  log: { error: (message: string) => void },
): Server {
  const server = createServer(async (req, res) => {
    try {
      for (const route of routes) {
        if (await route(req, res)) return;
      }
      sendText(res, 404, "not found");
    } catch (error) {
      log.error(`${req.method} ${req.url}: ${oneLine(error)}`);
      if (!res.headersSent) sendText(res, 500, "internal error");
      else res.destroy();
    }
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}

export class PortInUse extends Error {}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE" ? new PortInUse(`port ${port} on ${host} is in use`) : error,
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
