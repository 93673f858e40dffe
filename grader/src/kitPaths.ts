/** Where the kit's own folders are, wherever the command is run from. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

export const KIT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const starterDir = (lab: string): string => join(KIT_ROOT, 'starter', lab);
export const solutionDir = (lab: string): string => join(KIT_ROOT, 'solutions', lab);
/** True in the course staff's kit; false in the student bundle `rsmlab release` makes (no solutions/). */
export const hasSolutions = (): boolean => existsSync(join(KIT_ROOT, 'solutions'));
export const handoutFile = (lab: string): string => join(KIT_ROOT, 'handouts', `${lab}.md`);

/** The tsx loader, passed to `node --import` to run a TypeScript role. */
export const TSX_LOADER = import.meta.resolve('tsx');
