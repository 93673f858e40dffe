/**
 * The files of the student bundle that are generated rather than copied: package.json and
 * tsconfig.json adapted from the kit's, and a .gitignore. The README is in studentReadme.ts.
 */

/** The kit's npm scripts that make sense without solutions/ and tests, kept as they are. */
const STUDENT_SCRIPTS = ['start', 'setup', 'typecheck'] as const;

/** The package.json fields the bundle keeps, in this order; anything else the kit's has stays out. */
const PACKAGE_FIELDS = ['name', 'version', 'description', 'type', 'license', 'private', 'engines', 'bin', 'scripts', 'dependencies', 'devDependencies'] as const;

export interface KitPackage {
  version: string;
  scripts: Record<string, string>;
  [field: string]: unknown;
}

export function parseKitPackage(text: string): KitPackage {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('package.json does not hold an object');
  const { version, scripts } = parsed as Record<string, unknown>;
  if (typeof version !== 'string' || typeof scripts !== 'object' || scripts === null) {
    throw new Error('package.json lacks "version" or "scripts"');
  }
  return parsed as KitPackage;
}

/**
 * The bundle's package.json. Its dependencies stay exactly the kit's, devDependencies included,
 * so that the kit's package-lock.json still matches it and `npm ci` installs from it (TypeScript
 * and @types/node serve `npm run typecheck`; vitest comes along unused). Scripts that need the
 * tests or the solutions (`test`, `bench`, `repeat-fixtures`...) are dropped.
 */
export function studentPackageJson(kit: KitPackage): string {
  const scripts: Record<string, string> = {};
  for (const name of STUDENT_SCRIPTS) {
    const script = kit.scripts[name];
    if (script === undefined) throw new Error(`package.json has no "${name}" script, which the student bundle keeps`);
    scripts[name] = script;
  }
  const bundle: Record<string, unknown> = {};
  for (const field of PACKAGE_FIELDS) {
    const value = field === 'scripts' ? scripts : kit[field];
    if (value !== undefined) bundle[field] = value;
  }
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** The kit's tsconfig.json, checking the grader and the starters only (there are no solutions). */
export function studentTsconfig(kitText: string): string {
  const config = JSON.parse(kitText) as Record<string, unknown>;
  return `${JSON.stringify({ ...config, include: ['grader/**/*.ts', 'starter/**/*.ts'] }, null, 2)}\n`;
}

export const STUDENT_GITIGNORE = `node_modules/
/.rsmlab/
rsmlab-report/
starter/*/tmp/*
!starter/*/tmp/.gitkeep
.ipynb_checkpoints/
bench-lab2/
*.log
*-submission.zip
*-submission.tar.gz
`;
