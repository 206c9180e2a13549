import type { Model, mongo } from 'mongoose';

/**
 * A model's collection as the driver sees it, typed with the model's documents (string `_id`s).
 * For bulk work whose documents are built in code with their final types: it skips mongoose's
 * per-document casting and validation, which costs real CPU at tens of thousands of documents.
 */
export function driverCollection<T extends { _id: string }>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
