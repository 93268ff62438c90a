import { parseDockerfile } from '../dockerfile';
import { readRunSteps } from './run-steps';

describe('readRunSteps', () => {
  it('finds the installs and apt-get update of a RUN', () => {
    const [run, copy] = parseDockerfile('FROM x\nRUN apt-get update && apt-get install -y curl && npm ci && npm run build\nCOPY . .\n').stages[0].instructions;
    const steps = readRunSteps(run);
    expect(steps.installs.map((install) => install.manager)).toEqual(['apt', 'npm']);
    expect(steps.aptUpdate).toBe(true);
    expect(steps.commands).toHaveLength(4);
    expect(readRunSteps(copy)).toEqual({ commands: [], installs: [], aptUpdate: false });
  });
});
