import type { Access } from '../../domain/access.js';

/** SCORM export and preview are HR tools. */
export const HR_ACCESS: Access = ['hr', 'admin'];
