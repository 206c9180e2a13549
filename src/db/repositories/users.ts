import mongoose from 'mongoose';
import { normaliseEmail } from '../../domain/roles.js';
import { isDuplicateKey } from '../connection.js';
import type { Models } from '../models/index.js';
import type { UserDoc } from '../models/user.js';
import { findManyById } from './by-id.js';

export type NewUser = Omit<UserDoc, '_id' | 'createdAt' | 'updatedAt'> & { _id?: string };

export class DuplicateUserError extends Error {
  constructor(public readonly field: 'email' | 'employeeId') {
    super(
      field === 'email'
        ? 'A person with this e-mail address already exists.'
        : 'A person with this employee ID already exists.',
    );
  }
}

export function newUserId(): string {
  return new mongoose.Types.ObjectId().toHexString();
}

export function usersRepository(models: Models) {
  const { User, LoginKey } = models;

  // FerretDB's duplicate-key error does not name the index (MongoDB's does), so ask which value is taken.
  async function duplicateField(email: string | undefined, selfId: string): Promise<'email' | 'employeeId'> {
    if (!email) return 'employeeId';
    const holder = await User.findOne({ email }, { _id: 1 }).lean();
    return holder && holder._id !== selfId ? 'email' : 'employeeId';
  }

  return {
    findById(id: string) {
      return User.findById(id).lean<UserDoc>();
    },

    /** Reads the e-mail key by `_id` (indexed on every backend); falls back to a scan and repairs the key. */
    async findByEmail(email: string): Promise<UserDoc | null> {
      const key = normaliseEmail(email);
      const login = await LoginKey.findById(key).lean();
      if (login) {
        const user = await User.findById(login.userId).lean<UserDoc>();
        if (user && user.email === key) return user;
      }
      const user = await User.findOne({ email: key }).lean<UserDoc>();
      if (user) await LoginKey.updateOne({ _id: key }, { $set: { userId: user._id } }, { upsert: true });
      return user;
    },

    /**
     * Inserts a person; the unique indexes on e-mail and employee ID reject duplicates. The people
     * directory is the caller's to update (services/people `insertPerson`).
     */
    async insert(input: NewUser): Promise<UserDoc> {
      const doc = { ...input, _id: input._id ?? newUserId(), email: normaliseEmail(input.email) };
      try {
        const created = await User.create(doc);
        await LoginKey.updateOne({ _id: doc.email }, { $set: { userId: doc._id } }, { upsert: true });
        return created.toObject() as UserDoc;
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateUserError(await duplicateField(doc.email, doc._id));
        throw err;
      }
    },

    /** Updates a person; keeps the e-mail login key in step when the address changes. */
    async update(id: string, changes: Partial<NewUser>): Promise<UserDoc | null> {
      const before = await User.findById(id).lean<UserDoc>();
      if (!before) return null;
      const set = { ...changes, ...(changes.email ? { email: normaliseEmail(changes.email) } : {}) };
      try {
        await User.updateOne({ _id: id }, { $set: set });
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateUserError(await duplicateField(set.email, id));
        throw err;
      }
      if (set.email && set.email !== before.email) {
        await LoginKey.updateOne({ _id: set.email }, { $set: { userId: id } }, { upsert: true });
        // The old key goes only if it is still this person's. Read, then deleted by `_id` alone:
        // a filter with another field makes FerretDB v1 scan every login key.
        const old = await LoginKey.findById(before.email, { userId: 1 }).lean();
        if (old?.userId === id) await LoginKey.deleteOne({ _id: before.email });
      }
      return User.findById(id).lean<UserDoc>();
    },

    count() {
      return User.estimatedDocumentCount();
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;

/** Some fields of many people by `_id` (see findManyById); people who do not exist are missing. */
export async function usersByIds<K extends keyof UserDoc>(
  models: Models,
  ids: Iterable<string>,
  fields: readonly K[],
): Promise<Map<string, Pick<UserDoc, '_id' | K>>> {
  const projection = Object.fromEntries(fields.map((f) => [f, 1] as const));
  const people = await findManyById<Pick<UserDoc, '_id' | K>>(models.User, ids, projection);
  return new Map(people.map((p) => [p._id, p]));
}
