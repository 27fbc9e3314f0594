/** Network failures, said in a few words. */

/** How long a connection to another service may take to answer at start. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Why a fetch failed, in a few words (undici puts the system error in `cause`). */
export function networkReason(error: unknown): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string } };
  if (failure.name === "TimeoutError") return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  switch (failure.cause?.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ECONNRESET":
      return "connection reset";
    default:
      return (failure.cause?.code ?? failure.message ?? String(error)).split("\n")[0] ?? "failed";
  }
}
