/** What the fake remembers about traffic: the request log and contract violations. */

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/issues` */
  route: string | null;
  operationId: string | null;
  /** 0 when the request ended in a (simulated) network error */
  status: number;
  body: unknown;
  injected: boolean;
  installationId: number | null;
}

export type ViolationKind =
  | "unknown-route"
  | "not-implemented"
  | "request"
  | "auth"
  | "forbidden-api"
  | "response"
  | "fake-error";

export interface Violation {
  method: string;
  path: string;
  operationId: string | null;
  kind: ViolationKind;
  message: string;
}

/** Records a violation of the given kind for the request being handled. */
export type Report = (kind: ViolationKind, message: string) => void;

export function formatViolations(violations: Violation[]): string {
  const lines = violations.map(
    (v, i) =>
      `  ${i + 1}. ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""} [${v.kind}]: ${v.message}`,
  );
  return `FakeGitHub recorded ${violations.length} violation(s):\n${lines.join("\n")}`;
}
