import type { Model, mongo } from 'mongoose';
import type { Models } from './models/index.js';

/**
 * A model's collection as the driver sees it, typed with the model's documents (string `_id`s).
 * For bulk work whose documents are built in code with their final types: it skips mongoose's
 * per-document casting and validation, which costs real CPU at tens of thousands of documents.
 */
export function driverCollection<T extends { _id: string }>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}

/**
 * A collection with no mongoose model, on the models' connection: small documents that one file
 * in db/ alone writes and reads by `_id` (once_claims, job_leases, login_throttle), where a unique
 * insert is the point and a schema would add nothing. Every model shares the one connection; which
 * model reaches it does not matter.
 */
export function modellessCollection<T extends { _id: string }>(
  models: Models,
  name: string,
): mongo.Collection<T> {
  return models.Session.db.collection<T>(name) as unknown as mongo.Collection<T>;
}
