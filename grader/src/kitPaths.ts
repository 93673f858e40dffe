/** Where the kit's own folders are, wherever the command is run from. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const KIT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const starterDir = (lab: string): string => join(KIT_ROOT, 'starter', lab);
export const solutionDir = (lab: string): string => join(KIT_ROOT, 'solutions', lab);
export const handoutFile = (lab: string): string => join(KIT_ROOT, 'handouts', `${lab}.md`);

/** The tsx loader, passed to `node --import` to run a TypeScript role. */
export const TSX_LOADER = import.meta.resolve('tsx');
