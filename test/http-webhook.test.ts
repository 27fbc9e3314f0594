/**
 * The webhook endpoint in process, with a recorded `receive`: what each request is answered, and
 * that nothing reaches the app before its signature and payload are checked.
 */
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createRouterServer, listen } from "../src/http/server.js";
import { type WebhookEvent, WebhookRoute } from "../src/http/webhook.js";
import { signWebhook } from "./support/webhooks.js";

const SECRET = "s3cret";
const PATH = "/api/github/webhooks";
let server: Server | undefined;

afterEach(async () => {
  const open = server;
  server = undefined;
  if (open) {
    open.closeAllConnections();
    await new Promise<void>((resolve) => open.close(() => resolve()));
  }
});

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function serve(
  receive: (event: WebhookEvent) => Promise<void>,
  options: { limit?: number; answerWithinMs?: number; budget?: number } = {},
) {
  const received: WebhookEvent[] = [];
  const answers: [string, number][] = [];
  const route = new WebhookRoute({
    path: PATH,
    secret: SECRET,
    log: quiet,
    receive: (event) => {
      received.push(event);
      return receive(event);
    },
    count: (event, status) => answers.push([event, status]),
    ...options,
  });
  server = createRouterServer([route.handle], quiet);
  const address: AddressInfo = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${address.port}${PATH}`, received, route, answers };
}

function signed(body: string, event = "ping", secret = SECRET): RequestInit {
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": "d-1",
      "x-hub-signature-256": signWebhook(body, secret),
    },
  };
}

async function answer(url: string, init: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

const never = () => new Promise<void>(() => {});

describe("what reaches the app", () => {
  it("hands a verified delivery to the app with its id, name and payload", async () => {
    const { url, received } = await serve(async () => {});
    expect(await answer(url, signed('{"zen":"Keep it logically awesome."}'))).toEqual({
      status: 200,
      text: "ok\n",
    });
    expect(received).toEqual([
      { id: "d-1", name: "ping", payload: { zen: "Keep it logically awesome." } },
    ]);
  });

  it("counts each answer under the event's name only once its signature is verified", async () => {
    const { url, answers } = await serve(async () => {});
    await answer(url, signed("{}", "made_up_event", "wrong"));
    await answer(url, signed("[]", "push"));
    await answer(url, signed("{}", "ping"));
    expect(answers).toEqual([
      ["unverified", 401],
      ["push", 400],
      ["ping", 200],
    ]);
  });

  it("refuses, before reading the payload, what is not a signed JSON POST", async () => {
    const { url, received } = await serve(async () => {});
    const body = "{}";
    const headers = signed(body).headers as Record<string, string>;
    const without = (name: string) =>
      Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
    const cases: [RequestInit, number, string][] = [
      [{ method: "GET" }, 405, "webhooks are POSTed"],
      [
        { method: "POST", body, headers: without("x-hub-signature-256") },
        401,
        "missing x-hub-signature-256 header",
      ],
      ...["sha256=00", "sha1=0123", `sha256=${"Z".repeat(64)}`].map(
        (value): [RequestInit, number, string] => [
          { method: "POST", body, headers: { ...headers, "x-hub-signature-256": value } },
          401,
          "malformed x-hub-signature-256 header",
        ],
      ),
      [
        { method: "POST", body, headers: without("x-github-event") },
        400,
        "missing or invalid x-github-event",
      ],
      [
        { method: "POST", body, headers: { ...headers, "x-github-event": "../etc" } },
        400,
        "missing or invalid x-github-event",
      ],
      [
        { method: "POST", body, headers: without("x-github-delivery") },
        400,
        "missing x-github-delivery header",
      ],
      [
        {
          method: "POST",
          body,
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
        },
        415,
        "content type must be application/json",
      ],
      [signed(body, "ping", "wrong"), 401, "signature does not match the webhook secret"],
      [{ method: "POST", body: "", headers }, 400, "empty payload"],
    ];
    for (const [init, status, text] of cases) {
      expect(await answer(url, init)).toEqual({ status, text: `${text}\n` });
    }
    expect(received).toEqual([]);
  });

  it("leaves other paths to the next route", async () => {
    const { url } = await serve(async () => {});
    expect((await fetch(url.replace(PATH, "/elsewhere"), signed("{}"))).status).toBe(404);
  });

  it("verifies the signature over the exact bytes received", async () => {
    const { url, received } = await serve(async () => {});
    const body = '{"zen":"caf\u00e9"}';
    expect((await answer(url, signed(body))).status).toBe(200);
    // The same payload re-serialised with other spacing does not match the signature.
    const init = signed(body);
    expect((await answer(url, { ...init, body: '{ "zen": "caf\u00e9" }' })).status).toBe(401);
    expect(received).toHaveLength(1);
  });
});

describe("size limit", () => {
  it("refuses a declared length over the limit with 413 and reads none of it", async () => {
    const { url, received } = await serve(async () => {}, { limit: 1024 });
    const body = JSON.stringify({ pad: "x".repeat(2000) });
    expect(await answer(url, signed(body))).toEqual({
      status: 413,
      text: "payload over the 1024 bytes limit\n",
    });
    expect(received).toEqual([]);
  });

  it("counts a chunked body as it arrives and refuses it past the limit", async () => {
    const { url, received } = await serve(async () => {}, { limit: 1024 });
    const big = JSON.stringify({ pad: "x".repeat(4000) });
    // A stream has no declared length: fetch sends it chunked.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < big.length; i += 500) {
          controller.enqueue(new TextEncoder().encode(big.slice(i, i + 500)));
        }
        controller.close();
      },
    });
    const init = signed(big);
    const response = await fetch(url, { ...init, body: stream, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(received).toEqual([]);
  });

  it("refuses with 503 an upload that would take more than the budget all uploads share", async () => {
    const { url, route, received } = await serve(async () => {}, { limit: 1024, budget: 1500 });
    const first = JSON.stringify({ pad: "a".repeat(990) });
    // The first upload sends most of its body, then waits.
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: signed(first).headers as Record<string, string>,
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(first.slice(0, 900));
      void (async () => {
        await expect.poll(() => route.budget.inUse).toBe(900);
        const second = JSON.stringify({ pad: "b".repeat(990) });
        const refused = await answer(url, signed(second));
        expect(refused).toEqual({
          status: 503,
          text: "too many large deliveries at once: redeliver later\n",
        });
        req.end(first.slice(900));
      })().catch(reject);
    });
    expect(await answered).toBe(200);
    expect(received.map((event) => event.payload)).toEqual([JSON.parse(first)]);
    // Every byte taken was given back.
    expect(route.budget.inUse).toBe(0);
  });

  it("takes a body of exactly the limit", async () => {
    const { url, received } = await serve(async () => {}, { limit: 1024 });
    const body = JSON.stringify({ pad: "x".repeat(1024 - 10) });
    expect(body.length).toBe(1024);
    expect((await answer(url, signed(body))).status).toBe(200);
    expect(received).toHaveLength(1);
  });
});

describe("the answer", () => {
  it("is 202 when the handlers are still working, and the work goes on", async () => {
    let finish = () => {};
    const { url, route } = await serve(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
      { answerWithinMs: 20 },
    );
    expect(await answer(url, signed("{}"))).toEqual({ status: 202, text: "accepted\n" });
    expect(route.inFlight).toBe(1);
    finish();
    await route.idle();
    expect(route.inFlight).toBe(0);
  });

  it("is 500 when a handler fails, 503 when it asks for a later redelivery", async () => {
    const failing = await serve(async () => {
      throw new Error("boom");
    });
    expect(await answer(failing.url, signed("{}"))).toEqual({
      status: 500,
      text: "the delivery failed: see the app's log\n",
    });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;

    const busy = await serve(async () => {
      // Probot gathers the errors of every handler of an event.
      throw new AggregateError([
        new Error("x"),
        Object.assign(new Error("queue down"), { status: 503 }),
      ]);
    });
    expect(await answer(busy.url, signed("{}"))).toEqual({
      status: 503,
      text: "cannot take this delivery now: redeliver it later\n",
    });
  });

  it("a handler that fails after the answer is not left unhandled", async () => {
    let fail = (_: Error) => {};
    const { url, route } = await serve(
      () =>
        new Promise<void>((_, reject) => {
          fail = reject;
        }),
      { answerWithinMs: 10 },
    );
    expect((await answer(url, signed("{}"))).status).toBe(202);
    fail(new Error("late"));
    await route.idle();
    expect(route.inFlight).toBe(0);
  });

  it("idle() waits for every delivery in flight", async () => {
    const { url, route } = await serve(never, { answerWithinMs: 10 });
    expect((await answer(url, signed("{}"))).status).toBe(202);
    const state = await Promise.race([
      route.idle().then(() => "idle"),
      new Promise((resolve) => setTimeout(() => resolve("busy"), 50)),
    ]);
    expect(state).toBe("busy");
  });
});
