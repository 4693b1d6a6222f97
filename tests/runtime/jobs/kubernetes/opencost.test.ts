import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closedDaysToFetch, fetchAllocationDay } from "../../../../runtime/jobs/kubernetes/opencost";

/** A local server speaking OpenCost's /allocation, recording the queries it was sent. */
function openCostServer(
  respond: (url: URL, attempt: number) => { status: number; body: unknown; headers?: Record<string, string> },
) {
  const queries: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    queries.push(url);
    const { status, body, headers } = respond(url, queries.length);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  });
  return new Promise<{ baseUrl: string; queries: URL[]; close(): void }>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ baseUrl: `http://127.0.0.1:${port}`, queries, close: () => server.close() });
    }),
  );
}

const allocation = (name: string, cpuCost: number) => ({
  name,
  properties: { cluster: "prod-eks", namespace: name === "__idle__" ? "" : "shop", labels: { team: "web" } },
  window: { start: "2026-11-23T00:00:00Z", end: "2026-11-24T00:00:00Z" },
  cpuCost,
  ramCost: 0.5,
  totalCost: cpuCost + 0.5,
});

describe("OpenCost allocations", () => {
  it("lists the closed UTC days after the last fetched one, bounded", () => {
    const now = new Date("2026-11-24T05:00:00Z");
    assert.deepEqual(
      closedDaysToFetch(now, "2026-11-21").map((d) => d.toISOString().slice(0, 10)),
      ["2026-11-22", "2026-11-23"],
    );
    assert.deepEqual(closedDaysToFetch(now, "2026-11-23"), [], "today is not closed yet");
    assert.equal(closedDaysToFetch(now, undefined, 3).length, 3);
    assert.equal(closedDaysToFetch(now, "2025-01-01", 5).length, 5, "a long gap is capped");
    assert.throws(() => closedDaysToFetch(now, "yesterday"), /not a date/);
  });

  it("asks for one day with idle kept apart and saves the response", async () => {
    const server = await openCostServer(() => ({
      status: 200,
      body: {
        code: 200,
        data: [{ "shop/web": allocation("shop/web", 1.25), __idle__: allocation("__idle__", 3) }],
      },
    }));
    try {
      const dir = mkdtempSync(join(tmpdir(), "opencost-"));
      const got = await fetchAllocationDay(
        { baseUrl: server.baseUrl },
        new Date("2026-11-23T10:00:00Z"),
        dir,
      );
      assert.equal(got.allocations, 2);
      const q = server.queries[0];
      assert.equal(q.pathname, "/allocation");
      assert.equal(q.searchParams.get("window"), "2026-11-23T00:00:00Z,2026-11-24T00:00:00Z");
      assert.equal(q.searchParams.get("includeIdle"), "true");
      assert.equal(q.searchParams.get("shareIdle"), "false");
      assert.equal(q.searchParams.get("step"), "1d");
      assert.equal(JSON.parse(readFileSync(got.file, "utf8")).data[0].__idle__.cpuCost, 3);
    } finally {
      server.close();
    }
  });

  it("retries a busy OpenCost, honouring Retry-After, and reports a bad answer clearly", async () => {
    const server = await openCostServer((_url, attempt) =>
      attempt === 1
        ? { status: 503, body: {}, headers: { "retry-after": "0" } }
        : { status: 200, body: { code: 500, message: "prometheus unreachable" } },
    );
    try {
      await assert.rejects(
        fetchAllocationDay(
          { baseUrl: server.baseUrl },
          new Date("2026-11-23T00:00:00Z"),
          mkdtempSync(join(tmpdir(), "oc-")),
        ),
        /OpenCost answered code 500: prometheus unreachable/,
      );
      assert.equal(server.queries.length, 2, "one retry after the 503");
    } finally {
      server.close();
    }
  });
});
