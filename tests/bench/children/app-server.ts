/**
 * Child process that serves the app under test, plus a bare fastify server in the same process
 * that returns whatever HTML bytes the parent sends it (the baseline for the lesson page).
 * Running the server in its own process keeps autocannon's client work off the server's event loop.
 * Talks to the parent over IPC: see lib/app-process.ts for the messages.
 */
import Fastify from 'fastify';
import mongoose from 'mongoose';
import { buildApp } from '../../../src/app.js';
import { LISTEN_BACKLOG } from '../../../src/listen.js';
import { benchConfig } from '../lib/bench-config.js';

// Count the database commands the app sends, per command and collection, so the bench can say how
// many round trips a request costs. The app's own connection options are kept; only monitoring is added.
const createConnection = mongoose.createConnection.bind(mongoose);
mongoose.createConnection = ((uri: string, options?: mongoose.ConnectOptions) =>
  createConnection(uri, { ...options, monitorCommands: true })) as typeof mongoose.createConnection;
let tally: Record<string, { n: number; ms: number }> = {};

interface Options {
  mongoUri: string;
  dbName: string;
  logLevel: string;
}

type Message = { type: 'bare'; html: string } | { type: 'usage' } | { type: 'db-tally' } | { type: 'close' };

async function main(): Promise<void> {
  const opts = JSON.parse(process.env.BENCH_APP ?? '{}') as Options;
  // Request logs go to this child's stdout, which the parent discards: the cost of logging stays in.
  const app = await buildApp({ config: benchConfig(opts.dbName, opts.logLevel), mongoUri: opts.mongoUri });
  await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });
  const started = new Map<number, string>();
  const client = app.db.conn.getClient();
  client.on('commandStarted', (e) => {
    // getMore carries the cursor id first and the collection in its own field.
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    started.set(e.requestId, `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
  });
  client.on('commandSucceeded', (e) => {
    const key = started.get(e.requestId) ?? e.commandName;
    started.delete(e.requestId);
    const t = tally[key] ?? { n: 0, ms: 0 };
    tally[key] = { n: t.n + 1, ms: t.ms + e.duration };
  });

  let bareHtml = Buffer.from('<!doctype html><title>not set</title>');
  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(bareHtml));
  // The quiz baseline: accept a urlencoded form and redirect, as the submit route does, with no work.
  bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  bare.post('/submit', async (_request, reply) => reply.redirect('/done', 303));
  await bare.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });

  const send = (m: Record<string, unknown>) => process.send?.(m);
  process.on('message', (m: Message) => {
    if (m.type === 'bare') {
      bareHtml = Buffer.from(m.html);
      send({ type: 'bare-set' });
    } else if (m.type === 'usage') {
      send({ type: 'usage', maxRssKb: process.resourceUsage().maxRSS, rss: process.memoryUsage().rss });
    } else if (m.type === 'db-tally') {
      send({ type: 'db-tally', tally });
      tally = {};
    } else if (m.type === 'close') {
      Promise.all([app.close(), bare.close()]).finally(() => process.exit(0));
    }
  });
  const port = (server: { server: { address(): unknown } }) =>
    (server.server.address() as { port: number }).port;
  send({ type: 'ready', appPort: port(app), barePort: port(bare) });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
