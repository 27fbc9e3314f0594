/**
 * WEBHOOK_PROXY_URL (development): a smee.io-style channel whose events are forwarded to the
 * webhook endpoint. Checked before start, so an unreachable one is one line, not a dumped event.
 */
import { StartupError } from "./env.js";
import { CONNECT_TIMEOUT_MS, networkReason } from "./network.js";

/** Resolves when the channel answers with an event stream; throws a StartupError otherwise. */
export async function checkProxy(url: string): Promise<void> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new StartupError(`WEBHOOK_PROXY_URL is not an http(s) URL: ${url}`);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "text/event-stream" },
      signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new StartupError(`cannot reach WEBHOOK_PROXY_URL ${url}: ${networkReason(error)}`);
  }
  await response.body?.cancel();
  if (!response.ok) {
    throw new StartupError(`WEBHOOK_PROXY_URL ${url} answered HTTP ${response.status}`);
  }
}

interface ProxyLog {
  info: (message: string) => void;
  warn: (message: string) => void;
}

/** Forwards the channel's events to `target` until stopped. */
export async function startProxy(
  url: string,
  target: string,
  log: ProxyLog,
): Promise<{ stop: () => Promise<void> }> {
  let SmeeClient: typeof import("smee-client").SmeeClient;
  try {
    ({ SmeeClient } = await import("smee-client"));
  } catch {
    throw new StartupError(
      "WEBHOOK_PROXY_URL needs the smee-client package: npm install smee-client",
    );
  }
  const client = new SmeeClient({
    source: url,
    target,
    maxConnectionTimeout: CONNECT_TIMEOUT_MS,
    logger: {
      info: (...args: unknown[]) => log.info(args.map(String).join(" ")),
      // Connection errors arrive as event objects: one line each.
      error: (...args: unknown[]) =>
        log.warn(
          `webhook proxy: ${args.map((a) => (a as { message?: string })?.message ?? String(a)).join(" ")}`,
        ),
    },
  });
  try {
    await client.start();
  } catch (error) {
    await client.stop().catch(() => {});
    throw new StartupError(`cannot connect to WEBHOOK_PROXY_URL ${url}: ${networkReason(error)}`);
  }
  return { stop: () => client.stop() };
}
