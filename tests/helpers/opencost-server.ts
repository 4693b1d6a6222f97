import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const SAMPLE = readFileSync(
  join(__dirname, "..", "..", "examples", "exports", "opencost", "allocation-container-1d-2025-03-01.json"),
  "utf8",
);

/**
 * OpenCost's /allocation on loopback: answers a one-day window with the sample day's allocations
 * moved to that day, as OpenCost would for any closed day; records the windows asked for.
 */
export async function openCost(failDays: Set<string> = new Set()) {
  const windows: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const window = url.searchParams.get("window") ?? "";
    windows.push(window);
    const [start, end] = window.split(",").map((t) => t.slice(0, 10));
    if (url.pathname !== "/allocation" || !start || !end) {
      res.writeHead(400, { "content-type": "application/json" }).end('{"code":400,"message":"bad window"}');
      return;
    }
    if (failDays.has(start)) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: 500, message: "error querying prometheus" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(SAMPLE.replace(/2025-03-0([12])T/g, (_m, d: string) => `${d === "1" ? start : end}T`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${port}/allocation`, windows, failDays, close: () => server.close() };
}
