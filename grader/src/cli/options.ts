/** Parsers for option values shared by several commands; a bad value is a usage error. */
import { InvalidArgumentError } from 'commander';

export function parseCount(name: string, minimum = 1, maximum = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum) throw new InvalidArgumentError(`${name} must be a whole number of at least ${minimum}.`);
    if (parsed > maximum) throw new InvalidArgumentError(`${name} must be at most ${maximum}.`);
    return parsed;
  };
}

export const parseSeed = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 0xffffffff) throw new InvalidArgumentError('the seed must be a whole number from 0 to 4294967295.');
  return parsed;
};

export const parseList = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
