import {
  scimCreateGroup,
  scimDeleteGroup,
  scimGetGroup,
  scimListGroups,
  scimPatchGroup,
  scimReplaceGroup,
} from './groups.js';
import { authenticateScimToken, createScimToken, listScimTokens, revokeScimToken } from './tokens.js';
import {
  scimCreateUser,
  scimDeleteUser,
  scimGetUser,
  scimListUsers,
  scimPatchUser,
  scimReplaceUser,
} from './users.js';

/** SCIM 2.0 provisioning: bearer tokens, Users (people, through the people service) and Groups. */
export const scimCommands = {
  createScimToken,
  revokeScimToken,
  listScimTokens,
  authenticateScimToken,
  scimListUsers,
  scimGetUser,
  scimCreateUser,
  scimReplaceUser,
  scimPatchUser,
  scimDeleteUser,
  scimListGroups,
  scimGetGroup,
  scimCreateGroup,
  scimReplaceGroup,
  scimPatchGroup,
  scimDeleteGroup,
};
