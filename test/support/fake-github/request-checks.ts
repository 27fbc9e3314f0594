/** Checks a request must pass before a handler sees it: the description, then credentials. */
import { errorBody, type FakeResponse } from "./http.js";
import type { Operation } from "./openapi.js";
import type { Report } from "./records.js";
import { checkParameters, checkRequestBody, unknownBodyProperties } from "./validation.js";

export function errorResponse(status: number, message: string, docs?: string): FakeResponse {
  return { status, body: errorBody(status, message, docs) };
}

export interface CheckedRequest {
  /** What GitHub would answer instead of handling the request. */
  rejection?: FakeResponse;
  /** Path and query parameters, typed per the description. */
  values: Record<string, unknown>;
}

/**
 * Path parameters GitHub cannot parse → 404; query or body breaking the schema → 422. What
 * GitHub would silently ignore (undocumented parameters, `per_page` over 100) is reported only.
 */
export function checkRequest(
  op: Operation,
  pathParams: Record<string, string>,
  query: Record<string, string>,
  body: unknown,
  report: Report,
): CheckedRequest {
  const params = checkParameters(op, pathParams, query);
  const values = params.values;
  if (params.pathProblems) {
    report("request", params.pathProblems);
    return { rejection: errorResponse(404, "Not Found", op.docsUrl), values };
  }
  for (const name of params.unknownQuery) {
    report("request", `query parameter "${name}" is not documented; GitHub ignores it`);
  }
  if (typeof values.per_page === "number" && values.per_page > 100) {
    report("request", `per_page=${values.per_page}: GitHub returns at most 100 items per page`);
  }
  if (params.queryProblems) {
    report("request", params.queryProblems);
    const message = `Invalid request.\n\n${params.queryProblems}`;
    return { rejection: errorResponse(422, message, op.docsUrl), values };
  }
  if (op.requestBody) {
    const problems = checkRequestBody(op, body ?? {});
    if (problems) {
      report("request", problems);
      const message = `Invalid request.\n\n${problems}`;
      return { rejection: errorResponse(422, message, op.docsUrl), values };
    }
    for (const name of unknownBodyProperties(op, body)) {
      report("request", `body property "${name}" is not documented; GitHub ignores it`);
    }
  }
  return { values };
}

export interface Credential {
  isJwt: boolean;
  /** Installation of a token the fake issued; null for JWTs and tokens it does not know. */
  installationId: number | null;
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export function readCredential(
  authorization: string | null,
  tokens: ReadonlyMap<string, number>,
): Credential {
  const value = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (value === undefined) return { isJwt: false, installationId: null };
  if (JWT.test(value)) return { isJwt: true, installationId: null };
  return { isJwt: false, installationId: tokens.get(value) ?? null };
}

/** Endpoints outside `/app` that also need the app's JWT. */
const JWT_ROUTES = new Set([
  "/repos/{owner}/{repo}/installation",
  "/orgs/{org}/installation",
  "/users/{username}/installation",
]);

/**
 * App endpoints need the JWT, everything else an installation token, scoped to the repositories
 * of its installation. Requests without a known token pass, so plain Octokit tests work.
 */
export function checkAuth(
  op: Operation,
  credential: Credential,
  repo: { fullName: string; installationId: number } | undefined,
  report: Report,
): FakeResponse | undefined {
  const appRoute = op.template === "/app" || op.template.startsWith("/app/");
  if (appRoute || JWT_ROUTES.has(op.template)) {
    if (credential.isJwt) return undefined;
    report("auth", "this endpoint needs the app's JWT");
    return errorResponse(401, "A JSON web token could not be decoded", op.docsUrl);
  }
  if (credential.isJwt) {
    report("auth", "a JWT cannot call this endpoint; use an installation token");
    return errorResponse(401, "Bad credentials", op.docsUrl);
  }
  const installation = credential.installationId;
  if (op.template.startsWith("/installation/") && installation === null) {
    report("auth", "this endpoint needs an installation token");
    return errorResponse(401, "Bad credentials", op.docsUrl);
  }
  if (repo && installation !== null && repo.installationId !== installation) {
    report(
      "auth",
      `token of installation ${installation} used on ${repo.fullName} (installation ${repo.installationId})`,
    );
    return errorResponse(404, "Not Found", op.docsUrl);
  }
  return undefined;
}
