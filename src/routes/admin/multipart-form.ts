import { Busboy } from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Invalid } from '../../domain/errors.js';

/**
 * A `multipart/form-data` body parser for one encapsulated route plugin: text fields become strings
 * (repeated names an array), the one file field a Buffer. It runs in fastify's parsing phase, so
 * the CSRF check (preValidation) and the TypeBox body schema see the fields like any other form.
 * A file over `maxFileBytes` is cut off and the request is marked (see `fileTooLarge`), so the
 * route can show the form again with a 413 and a message next to the field.
 */
const tooLarge = new WeakSet<FastifyRequest>();

export function fileTooLarge(request: FastifyRequest): boolean {
  return tooLarge.has(request);
}

export function multipartForm(
  app: FastifyInstance,
  /** `maxFieldBytes`: the longest text field (default 2,000 characters). */
  opts: { fileField: string; maxFileBytes: number; maxFieldBytes?: number },
) {
  app.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    const body: Record<string, string | string[] | Buffer> = {};
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      payload.unpipe();
      payload.resume();
      // A domain refusal (400), so the error page says it in the admin's language.
      done(new Invalid(message), undefined);
    };
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({
        headers: request.headers as { 'content-type': string },
        limits: {
          fileSize: opts.maxFileBytes,
          files: 1,
          fields: 60,
          fieldSize: opts.maxFieldBytes ?? 2000,
          parts: 62,
        },
      });
    } catch {
      return done(new Invalid('admin.form.unreadable'), undefined);
    }
    const add = (name: string, value: string) => {
      const prior = body[name];
      if (prior === undefined) body[name] = value;
      else if (typeof prior === 'string') body[name] = [prior, value];
      else if (Array.isArray(prior)) prior.push(value);
    };
    parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) return fail('admin.form.fieldTooLong');
      add(name, value);
    });
    parser.on('file', (name, stream) => {
      // Any other file field is an unknown key: keep it (empty) so the schema refuses it with a 400.
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (name === opts.fileField) chunks.push(chunk);
      });
      stream.on('limit', () => tooLarge.add(request));
      stream.on('end', () => {
        body[name] = tooLarge.has(request) ? Buffer.alloc(0) : Buffer.concat(chunks);
      });
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const)
      parser.on(limit, () => fail('admin.form.tooManyFields'));
    parser.on('error', () => fail('admin.form.unreadable'));
    parser.on('finish', () => {
      if (!failed) done(null, body);
    });
    payload.pipe(parser);
  });
}
