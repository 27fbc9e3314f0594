import { defaultFailureBody, type FailureSpec } from "./failures.js";
import type { FakeResponse } from "./http.js";

/** A handled request: the response, or a simulated network failure. */
export interface Outcome {
  response: FakeResponse;
  networkError?: boolean;
}

export function injectedOutcome(failure: FailureSpec): Outcome {
  const status = failure.status ?? 500;
  return {
    networkError: failure.networkError,
    response: {
      status,
      body: failure.body === undefined ? defaultFailureBody(status) : failure.body,
      headers: failure.headers,
    },
  };
}

let requestCounter = 0;

/** The WHATWG Response Octokit sees, with the headers GitHub always sends. */
/** A Response as fetch returns it: with the request's URL (Octokit's pagination reads it). */
export function toResponse(response: FakeResponse, url: string): Response {
  const headers = new Headers({
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": `FAKE:${(++requestCounter).toString(16).toUpperCase()}`,
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
  });
  let body: string | null = null;
  if (response.raw) {
    headers.set("content-type", `${response.raw.mediaType}; charset=utf-8`);
    body = response.raw.text;
  } else if (response.body !== undefined && response.status !== 204) {
    headers.set("content-type", "application/json; charset=utf-8");
    body = JSON.stringify(response.body);
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) headers.set(name, value);
  const result = new Response(body, { status: response.status, headers });
  Object.defineProperty(result, "url", { value: url });
  return result;
}
