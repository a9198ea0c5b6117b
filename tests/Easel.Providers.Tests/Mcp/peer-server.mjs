// An MCP image server built with the official TypeScript SDK, for what the reference server
// (server-everything) cannot show: several images per call, images as embedded resources, bytes
// that are no image, a crash during a call, and how many times the server was started.
//
// Environment: MCP_NODE_MODULES (tests/mcp-node/node_modules), PEER_IMAGE (a PNG in base64),
// PEER_STARTS (a file that gets one line per start), PEER_CRASHED (a file whose absence makes
// the "crash-once" tool exit the process).
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const modules = process.env.MCP_NODE_MODULES;
const load = (path) => import(pathToFileURL(`${modules}/${path}`).href);
const { McpServer } = await load("@modelcontextprotocol/sdk/dist/esm/server/mcp.js");
const { StdioServerTransport } = await load("@modelcontextprotocol/sdk/dist/esm/server/stdio.js");
const { z } = await load("zod/index.js");

if (process.env.PEER_STARTS) appendFileSync(process.env.PEER_STARTS, `${process.pid}\n`);

const image = process.env.PEER_IMAGE;
const server = new McpServer({ name: "easel-test-peer", version: "1.0.0" });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

server.registerTool("images", {
  description: "Returns `count` copies of the test image after `delay_ms`.",
  inputSchema: { prompt: z.string(), count: z.number().int().optional(), delay_ms: z.number().optional() },
}, async ({ count, delay_ms }) => {
  if (delay_ms) await sleep(delay_ms);
  const content = [{ type: "text", text: `pid ${process.pid}` }];
  for (let i = 0; i < (count ?? 1); i++) content.push({ type: "image", data: image, mimeType: "image/png" });
  return { content };
});

server.registerTool("resource-image", {
  description: "Returns the test image as an embedded resource.",
  inputSchema: { prompt: z.string() },
}, async () => ({
  content: [{ type: "resource", resource: { uri: "peer://image.png", mimeType: "image/png", blob: image } }],
}));

server.registerTool("not-an-image", {
  description: "Claims to return a PNG but sends text.",
  inputSchema: { prompt: z.string() },
}, async () => ({
  content: [{ type: "image", data: Buffer.from("<html>sorry</html>").toString("base64"), mimeType: "image/png" }],
}));

server.registerTool("crash-once", {
  description: "Exits the server during the first call ever made; returns the image afterwards.",
  inputSchema: { prompt: z.string() },
}, async () => {
  if (!existsSync(process.env.PEER_CRASHED)) {
    writeFileSync(process.env.PEER_CRASHED, "crashed");
    console.error("peer: out of GPU memory");
    process.exit(5);
  }
  return { content: [{ type: "image", data: image, mimeType: "image/png" }] };
});

server.registerTool("refuse", {
  description: "Fails the way a vendor's image tool fails.",
  inputSchema: { prompt: z.string() },
}, async () => ({
  content: [{ type: "text", text: `  The prompt was refused by the safety filter.\n  Token used: ${process.env.PEER_TOKEN}  ` }],
  isError: true,
}));

await server.connect(new StdioServerTransport());
