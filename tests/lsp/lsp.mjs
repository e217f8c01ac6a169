// Drives the real yaml-language-server (pinned by package-lock.json) over stdio, the way an
// editor does, and prints what it said about elmo model files as one JSON document:
//
//   node tests/lsp/lsp.mjs [--root DIR --schemas JSON] FILE[@LINE:CHARACTER...] ...
//
// Each FILE is opened as a YAML document; its own `# yaml-language-server: $schema=` modeline
// picks the schema, exactly as in an editor. Or --schemas gives the `yaml.schemas` setting
// (schema path -> globs, as in an editor's settings), resolved against the workspace --root.
// Each @LINE:CHARACTER (0-based, as in LSP) asks for completion there. Output:
//
//   {"server": "2.0.0", "documents": [{"file": ..., "diagnostics": [LSP Diagnostic...],
//     "completions": [{"line": L, "character": C, "items": [LSP CompletionItem...]}]}]}
//
// No dependencies beyond node itself and the server, so the test sees the server's behaviour
// and nothing of a client library's. A hard timeout makes a silent server fail, not hang.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TIMEOUT_MS = 30_000;
// The server publishes diagnostics once per validation; a document's list is taken once no new
// one has arrived for this long, so a late revalidation (after settings arrive) is not missed.
const SETTLE_MS = 400;

const here = dirname(fileURLToPath(import.meta.url));
const serverDir = join(here, 'node_modules', 'yaml-language-server');
const serverVersion = createRequire(import.meta.url)(join(serverDir, 'package.json')).version;

const fail = (msg) => {
  process.stderr.write(`lsp.mjs: ${msg}\n`);
  process.exit(1);
};
setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS).unref();

const args = process.argv.slice(2);
let root = null;
let schemas;
while (args[0]?.startsWith('--')) {
  const [flag, value] = args.splice(0, 2);
  if (value === undefined) fail(`${flag} needs a value`);
  if (flag === '--root') root = pathToFileURL(resolve(value)).href;
  else if (flag === '--schemas') {
    try {
      schemas = JSON.parse(value);
    } catch (e) {
      fail(`--schemas is not JSON: ${e.message}`);
    }
  } else fail(`unknown option ${flag}`);
}
const docs = args.map((arg) => {
  const [file, ...positions] = arg.split('@');
  return {
    file: resolve(file),
    uri: pathToFileURL(resolve(file)).href,
    positions: positions.map((p) => {
      const [line, character] = p.split(':').map(Number);
      if (!Number.isInteger(line) || !Number.isInteger(character)) fail(`bad position ${p}`);
      return { line, character };
    }),
  };
});
if (docs.length === 0) fail('usage: lsp.mjs FILE[@LINE:CHARACTER...] ...');

// What an editor would send for `workspace/configuration`: validation, completion and hover
// on, and no schema store, so nothing is fetched from the network.
const yamlSettings = {
  validate: true,
  completion: true,
  hover: true,
  format: { enable: false },
  schemaStore: { enable: false },
  ...(schemas && { schemas }),
};

const server = spawn(process.execPath, [join(serverDir, 'bin', 'yaml-language-server'), '--stdio'], {
  stdio: ['pipe', 'pipe', 'pipe'],
});
let serverStderr = '';
server.stderr.on('data', (d) => (serverStderr += d));
server.on('exit', (code, signal) => {
  if (!finished) fail(`server exited early (${code ?? signal}):\n${serverStderr}`);
});
let finished = false;

// JSON-RPC over stdio with LSP's `Content-Length` framing, in both directions.
const send = (msg) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
};
let nextId = 1;
const pending = new Map();
const request = (method, params) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, method });
    send({ id, method, params });
  });
const notify = (method, params) => send({ method, params });

const diagnostics = new Map(); // uri -> { list, at }
let configured;
const configuredOnce = new Promise((r) => (configured = r));

const answer = (msg) => {
  switch (msg.method) {
    case 'workspace/configuration': {
      const result = msg.params.items.map((item) => (item.section === 'yaml' ? yamlSettings : {}));
      send({ id: msg.id, result });
      configured();
      return;
    }
    // client/registerCapability, window/workDoneProgress/create and anything else: accept.
    default:
      send({ id: msg.id, result: null });
  }
};

const dispatch = (msg) => {
  if (msg.id !== undefined && msg.method !== undefined) return answer(msg);
  if (msg.id !== undefined) {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
    return;
  }
  if (msg.method === 'textDocument/publishDiagnostics') {
    diagnostics.set(msg.params.uri, { list: msg.params.diagnostics, at: Date.now() });
  }
};

let buffer = Buffer.alloc(0);
server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const header = buffer.subarray(0, headerEnd).toString('ascii');
    const m = /Content-Length: *(\d+)/i.exec(header);
    if (!m) fail(`frame without Content-Length: ${header}`);
    const start = headerEnd + 4;
    const end = start + Number(m[1]);
    if (buffer.length < end) return;
    const body = buffer.subarray(start, end).toString('utf8');
    buffer = buffer.subarray(end);
    dispatch(JSON.parse(body));
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await request('initialize', {
  processId: process.pid,
  clientInfo: { name: 'elmo-lsp-test' },
  rootUri: root,
  workspaceFolders: root && [{ uri: root, name: 'workspace' }],
  capabilities: {
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
    textDocument: {
      synchronization: { dynamicRegistration: true },
      publishDiagnostics: { relatedInformation: true },
      completion: {
        dynamicRegistration: true,
        completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    },
  },
});
notify('initialized', {});
// Documents opened before the server has its settings would be checked with defaults first.
await Promise.race([configuredOnce, sleep(5_000)]);

const out = { server: serverVersion, documents: [] };
for (const doc of docs) {
  let text;
  try {
    text = readFileSync(doc.file, 'utf8');
  } catch (e) {
    fail(`cannot read ${doc.file}: ${e.message}`);
  }
  notify('textDocument/didOpen', {
    textDocument: { uri: doc.uri, languageId: 'yaml', version: 1, text },
  });
  for (;;) {
    const d = diagnostics.get(doc.uri);
    if (d && Date.now() - d.at >= SETTLE_MS) break;
    await sleep(50);
  }
  const completions = [];
  for (const position of doc.positions) {
    const result = await request('textDocument/completion', {
      textDocument: { uri: doc.uri },
      position,
    });
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    completions.push({ ...position, items });
  }
  out.documents.push({ file: doc.file, diagnostics: diagnostics.get(doc.uri).list, completions });
}

finished = true;
await request('shutdown', null).catch(() => {});
notify('exit', null);
process.stdout.write(`${JSON.stringify(out)}\n`);
// Do not wait on the server's own shutdown: the answer is already out.
setTimeout(() => {
  server.kill();
  process.exit(0);
}, 200).unref();
server.on('exit', () => process.exit(0));
