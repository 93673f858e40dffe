import { gradeSubmission } from '../grader/src/check/gradeSubmission.ts';
import { lab1Bank } from '../grader/src/labs/lab1-bank/lab.ts';
async function main(): Promise<void> {
  const r = await gradeSubmission({ lab: lab1Bank, source: 'solutions/lab1-bank', seed: 1, only: ['lab1.A.two-servers', 'lab1.B.concurrent-clients'], logRoot: '/tmp/rec/logs-l1', reproduceCommand: 'x' });
  for (const c of r.checks) console.log(c.id, c.status, c.durationMs, c.timeline);
}
void main();
