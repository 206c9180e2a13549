/** The cold-start baseline: a bare fastify server with a /readyz route, started the same way as the app. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/readyz', async () => ({ status: 'ready' }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  app.close().finally(() => process.exit(0));
});
