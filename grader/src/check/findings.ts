/**
 * Collects what a check found wrong, grouped by kind, and turns it into one failure message:
 * the kinds in the order they were first reported, each with its count and a few examples.
 */
import { CheckFailure } from './checkFailure.ts';

const EXAMPLES_PER_KIND = 3;

interface Finding {
  headline: string;       // what was expected and what went wrong, for the whole kind
  examples: string[];
  count: number;
}

export class Findings {
  private readonly kinds = new Map<string, Finding>();

  /** Records one occurrence of a kind of problem. */
  add(kind: string, headline: string, example: string): void {
    const finding = this.kinds.get(kind) ?? { headline, examples: [], count: 0 };
    finding.count += 1;
    if (finding.examples.length < EXAMPLES_PER_KIND) finding.examples.push(example);
    this.kinds.set(kind, finding);
  }

  has(kind: string): boolean {
    return this.kinds.has(kind);
  }

  isEmpty(): boolean {
    return this.kinds.size === 0;
  }

  /** Throws a CheckFailure describing every kind found; returns when nothing was. */
  throwIfAny(): void {
    if (this.isEmpty()) return;
    const sections = [...this.kinds.values()].map((finding) => {
      const more = finding.count > finding.examples.length ? `\n    ... and ${finding.count - finding.examples.length} more` : '';
      const examples = finding.examples.map((example) => `    - ${example.replace(/\n/g, '\n      ')}`).join('\n');
      return `${finding.headline}\n${examples}${more}`;
    });
    throw new CheckFailure(sections.join('\n'));
  }
}
