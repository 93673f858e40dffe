/**
 * The README of the student bundle, generated from the lab declarations so that it names exactly
 * the labs, files and programs the bundle holds. Short on purpose: the handouts carry the rest.
 */
import type { LabDef } from '../labs/labDef.ts';
import { EXIT_CODES_HELP } from '../cli/exitCodes.ts';

export interface ReadmeFacts {
  version: string;          // the kit's version, as in package.json
  labs: readonly LabDef[];
  starterFiles: (lab: LabDef) => string[];  // the file names of the lab's starter folder
  hasSubmit: boolean;       // whether this kit has `rsmlab submit`
}

export function studentReadme(facts: ReadmeFacts): string {
  const rows = facts.labs.map((lab) =>
    `| lab ${lab.number}: ${lab.title} | \`handouts/${lab.id}.md\` | \`notebooks/${lab.id}.ipynb\` | \`starter/${lab.id}/\` |`);
  const yours = facts.labs.map((lab) => {
    const files = facts.starterFiles(lab).filter((file) => file.endsWith('.ts') && !lab.givenFiles.includes(file));
    return `- lab ${lab.number}: ${files.map((file) => `\`${file}\``).join(', ')}`;
  });
  return `# rsmlab ${facts.version}: labs on replicated state machines

Each lab has a handout to read, a Jupyter notebook that follows it step by step, starter code to
complete, and the grader's checks, which you run on your own work as often as you like.

| lab | handout | notebook | your code |
|---|---|---|---|
${rows.join('\n')}

## Set up

You need Debian (or Ubuntu) and Node.js 20.19 or newer. From this folder:

\`\`\`console
$ npm start
\`\`\`

It installs what is missing (\`faketime\` and Jupyter with \`apt-get\`, which asks for sudo; the npm
packages; the notebooks' TypeScript kernel), then grades every untouched starter and prints its
score table: the points the given code earns before you write anything. \`npm run setup\` does the
set-up alone.

## Work

Write code only inside the marked regions, \`// TODO(lab1, part B): ...\` to
\`// END TODO(lab1, part B)\`. The other files are given: leave them as they are (when your work is
graded, the grader puts its own copy of them back). The files you complete:

${yours.join('\n')}

Run the programs as the handout shows (\`./srv.ts ./tmp/a\`...), all in one terminal with
\`npx rsmlab run LAB\`, or from the lab's notebook: \`npx rsmlab notebook LAB\` opens it in Jupyter.

## Check

\`\`\`console
$ npx rsmlab check lab1                     # checks starter/lab1-bank
$ npx rsmlab check lab1 path/to/folder      # or another folder, a notebook, a .zip or .tar.gz
$ npx rsmlab labs                           # every check and its points
\`\`\`

A failing check says what was expected, what happened, where the logs are, and the command that
reproduces it (\`--seed N --only CHECK_ID\`). The instructors grade with the same checks.

## Submit

${facts.hasSubmit
    ? `\`\`\`console
$ npx rsmlab submit lab1                    # writes lab1-submission.zip from starter/lab1-bank
\`\`\`

It packs the files the lab grades (and your notebook with \`--notebook FILE\`) after checking that
they are all there and compile. Hand in the archive as your course says.`
    : 'Hand in your lab\'s folder (or its notebook) as your course says.'}

## Exit codes of \`rsmlab\`
${EXIT_CODES_HELP.replace(/^\n?Exit codes:\n/, '\n```text\n')}
\`\`\`
`;
}
