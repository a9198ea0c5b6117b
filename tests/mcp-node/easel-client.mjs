// An independent MCP client for `easel mcp`: the official TypeScript SDK drives the real Easel
// executable over stdio, runs one scenario and prints one JSON line on stdout with what it saw.
//
//   node easel-client.mjs <scenario>
//
// The test passes how to start Easel through the environment:
//   EASEL_CLI_COMMAND  the program, e.g. dotnet
//   EASEL_CLI_ARGS     JSON array of arguments before the subcommand, e.g. ["/path/easel.dll"]
//   EASEL_CLI_ENV      JSON object of environment variables for Easel (EASEL_HOME, HOME, ...)
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const command = process.env.EASEL_CLI_COMMAND;
const baseArgs = JSON.parse(process.env.EASEL_CLI_ARGS ?? '[]');
const easelEnv = JSON.parse(process.env.EASEL_CLI_ENV ?? '{}');
const CALL_TIMEOUT_MS = 180_000;
const CLIENT_NAME = 'easel-test-client';

/** The session of the scenario under way, so a failure can still show Easel's stderr. */
let current;

/** Connects a client; with an answer function it declares form elicitation and answers every question with it. */
async function connect(answer) {
  const transport = new StdioClientTransport({
    command,
    args: [...baseArgs, 'mcp'],
    env: easelEnv,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', chunk => { stderr += chunk.toString(); });
  const capabilities = answer ? { elicitation: { form: {} } } : {};
  const client = new Client({ name: CLIENT_NAME, version: '1.0.0' }, { capabilities });
  const questions = [];
  // Anything the SDK could not take as MCP (a stray line on stdout, a progress report after the result) lands here.
  const protocolErrors = [];
  client.onerror = error => protocolErrors.push(String(error?.message ?? error));
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async request => {
      questions.push({ message: request.params.message, requestedSchema: request.params.requestedSchema, mode: request.params.mode ?? 'form' });
      return answer(request.params);
    });
  }
  current = { client, transport, questions, protocolErrors, stderr: () => stderr };
  await client.connect(transport);
  return current;
}

/** A tool result as plain data: error flag, its text, its structured content and any images. */
function simplify(result) {
  const content = result.content ?? [];
  return {
    isError: result.isError === true,
    text: content.filter(c => c.type === 'text').map(c => c.text).join('\n'),
    structured: result.structuredContent ?? null,
    images: content.filter(c => c.type === 'image').map(c => ({ mimeType: c.mimeType, data: c.data })),
    contentTypes: content.map(c => c.type),
  };
}

async function call(client, name, args, progress) {
  const options = { timeout: CALL_TIMEOUT_MS };
  if (progress) options.onprogress = p => progress.push(p);
  return simplify(await client.callTool({ name, arguments: args }, undefined, options));
}

/** Runs the easel CLI (not the MCP server) with extra arguments, as a person approving out of band would. */
function runCli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...baseArgs, ...args], { env: { ...getDefaultEnvironment(), ...easelEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => { stdout += c.toString(); });
    child.stderr.on('data', c => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Calls get_order until the order has finished (or a minute has passed). */
async function followOrder(client, orderId) {
  const finished = ['completed', 'partially_completed', 'failed', 'rejected', 'expired', 'cancelled'];
  let last;
  for (let i = 0; i < 600; i++) {
    last = await call(client, 'get_order', { order_id: orderId });
    if (last.isError || finished.includes(last.structured?.status)) return last;
    await sleep(100);
  }
  return last;
}

const small = { size: '256x192', provider: 'sketch', max_iterations: 1 };

const scenarios = {
  async tools() {
    const s = await connect();
    const { tools } = await s.client.listTools();
    return {
      server: s.client.getServerVersion(),
      instructions: s.client.getInstructions() ?? null,
      tools: tools.map(t => ({ name: t.name, title: t.title ?? null, description: t.description ?? '', inputSchema: t.inputSchema, annotations: t.annotations ?? null })),
      session: s,
    };
  },

  async generate() {
    const s = await connect();
    const progress = [];
    const generated = await call(s.client, 'generate_images', { prompt: 'a red fox in the snow at dusk', count: 2, ...small, size: '640x480', wait_seconds: 120 }, progress);
    const first = generated.structured?.images?.[0]?.id;
    const image = first ? await call(s.client, 'get_image', { image_id: first }) : null;
    const thumbnail = first ? await call(s.client, 'get_image', { image_id: first, thumbnail: true }) : null;
    return { generated, progress, image, thumbnail, session: s };
  },

  async 'elicit-approve'() {
    const s = await connect(() => ({ action: 'accept', content: { approve: true, note: 'Looks fine' } }));
    const progress = [];
    const generated = await call(s.client, 'generate_images', { prompt: 'six lighthouses on a stormy coast', count: 6, ...small, wait_seconds: 120 }, progress);
    const order = generated.structured?.order_id ? await call(s.client, 'get_order', { order_id: generated.structured.order_id }) : null;
    return { generated, order, progress, questions: s.questions, session: s };
  },

  async 'elicit-decline'() {
    const s = await connect(() => ({ action: 'decline' }));
    const generated = await call(s.client, 'generate_images', { prompt: 'six teapots in a row', count: 6, ...small });
    return { generated, questions: s.questions, session: s };
  },

  async 'elicit-partial'() {
    const s = await connect(() => ({ action: 'accept', content: { approve: true, images: 4 } }));
    const generated = await call(s.client, 'generate_images', { prompt: 'six paper boats on a pond', count: 6, ...small, wait_seconds: 120 });
    return { generated, questions: s.questions, session: s };
  },

  async 'elicit-cancel'() {
    const s = await connect(() => ({ action: 'cancel' }));
    const generated = await call(s.client, 'generate_images', { prompt: 'six kites over a beach', count: 6, ...small });
    return { generated, questions: s.questions, session: s };
  },

  async 'approve-with-cli'() {
    const s = await connect();
    const generated = await call(s.client, 'generate_images', { prompt: 'six windmills in a tulip field', count: 6, ...small });
    const requestId = generated.structured?.approval?.request_id;
    const pending = requestId ? await call(s.client, 'get_order', { order_id: generated.structured.order_id }) : null;
    const approve = requestId ? await runCli(['approve', requestId, '--no-wait', '--json']) : null;
    const followed = requestId ? await followOrder(s.client, generated.structured.order_id) : null;
    return { generated, pending, approve, followed, session: s };
  },

  // Places an order that waits for approval, then keeps the session open until this script's
  // stdin closes: the test decides when it has seen what it waits for (e.g. a webhook).
  async 'place-and-hold'() {
    const s = await connect();
    const generated = await call(s.client, 'generate_images', { prompt: 'six lanterns over a harbour', count: 6, ...small });
    process.stdin.resume();
    await new Promise(resolve => process.stdin.once('end', resolve).once('close', resolve));
    return { generated, session: s };
  },

  async invalid() {
    const s = await connect();
    const zero = await call(s.client, 'generate_images', { prompt: 'a red fox', count: 0, ...small });
    const style = await call(s.client, 'generate_images', { prompt: 'a red fox', style: 'gothic-noir', ...small });
    const missing = await call(s.client, 'generate_images', { count: 1, ...small });
    const wrongType = await call(s.client, 'generate_images', { prompt: 'a red fox', count: 'many', ...small });
    const unknown = await call(s.client, 'generate_images', { prompt: 'a red fox', negativePrompt: 'text', ...small });
    const noOrder = await call(s.client, 'get_order', { order_id: 'ord_doesnotexist' });
    const noImage = await call(s.client, 'get_image', { image_id: 'img_doesnotexist' });
    const badImageId = await call(s.client, 'get_image', { image_id: '../../etc/passwd' });
    const badSearch = await call(s.client, 'search_images', { since: 'last tuesday', limit: 500 });
    const afterwards = await call(s.client, 'generate_images', { prompt: 'a red fox', count: '1', ...small, wait_seconds: 120 });
    return { zero, style, missing, wrongType, unknown, noOrder, noImage, badImageId, badSearch, afterwards, session: s };
  },

  async search() {
    const s = await connect();
    const generated = await call(s.client, 'generate_images', { prompt: 'a zeppelin above a harbour', count: 2, ...small, wait_seconds: 120 });
    const other = await call(s.client, 'generate_images', { prompt: 'a bowl of lemons', count: 1, ...small, wait_seconds: 120 });
    const today = new Date().toISOString().slice(0, 10);
    const found = await call(s.client, 'search_images', { query: 'zeppelin', since: today });
    const firstPage = await call(s.client, 'search_images', { limit: 2 });
    const secondPage = firstPage.structured?.next_cursor
      ? await call(s.client, 'search_images', { limit: 2, cursor: firstPage.structured.next_cursor })
      : null;
    const none = await call(s.client, 'search_images', { query: 'zeppelin', until: '2000-01-01' });
    return { generated, other, found, firstPage, secondPage, none, session: s };
  },

  async refine() {
    const s = await connect();
    const refined = await call(s.client, 'refine_prompt', { prompt: 'a cat', count: 3 });
    const tooMany = await call(s.client, 'refine_prompt', { prompt: 'a cat', count: 11 });
    return { refined, tooMany, session: s };
  },

  async providers() {
    const s = await connect();
    const providers = await call(s.client, 'list_providers', {});
    return { providers, session: s };
  },
};

const name = process.argv[2];
const scenario = scenarios[name];
if (!scenario) {
  console.log(JSON.stringify({ error: `unknown scenario '${name}'; known: ${Object.keys(scenarios).join(', ')}` }));
  process.exit(2);
}

try {
  const { session, ...result } = await scenario();
  // Errors seen before closing: closing may make the transport complain about the pipe it ends.
  const protocolErrors = [...session.protocolErrors];
  await session.client.close();
  console.log(JSON.stringify({ ...result, protocolErrors, stderr: session.stderr() }));
} catch (error) {
  await current?.client.close().catch(() => {});
  console.log(JSON.stringify({ error: String(error?.stack ?? error), stderr: current?.stderr() ?? null }));
  process.exitCode = 1;
}
