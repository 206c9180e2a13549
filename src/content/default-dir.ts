import { fileURLToPath } from 'node:url';

/** `<repo>/courses`, resolved from this file so it works whatever the working directory is. */
export const defaultCoursesDir: string = fileURLToPath(new URL('../../courses', import.meta.url));
