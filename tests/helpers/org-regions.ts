import type { FastifyInstance } from 'fastify';
import { usersRepository } from '../../src/db/repositories/users.js';
import type { Region } from '../../src/domain/org-profile.js';

/** Saves the organisation profile as the demo admin with only its regions changed. */
export async function setOrgRegions(app: FastifyInstance, regions: Region[]): Promise<void> {
  const {
    logo: _logo,
    updatedAt: _at,
    updatedBy: _by,
    ...values
  } = await app.services.organisation.currentProfile();
  const admin = await usersRepository(app.db.models).findByEmail('admin@demo.test');
  await app.services.organisation.saveProfile({
    actorId: admin!._id,
    values: { ...values, regions },
    logo: null,
    now: app.clock.now(),
  });
}
