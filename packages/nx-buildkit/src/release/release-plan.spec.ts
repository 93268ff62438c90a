import { describeRelease } from './release-plan';

const releaseRefs = ['localhost:5000/api:2612.01.3a95d8c', 'localhost:5000/api:latest'];
const plan = { hashTag: 'nxb-0123456789abcdef' };

describe('describeRelease', () => {
  it('names the version tag, the extra tags and the hash tag they will point to, and what it costs', () => {
    expect(describeRelease({ releaseRefs, location: 'registry', plan })).toBe(
      'localhost:5000/api:2612.01.3a95d8c, latest → nxb-0123456789abcdef (in the registry: tagged there, nothing built or pulled)',
    );
    expect(describeRelease({ releaseRefs: releaseRefs.slice(0, 1), location: 'local', plan })).toBe('localhost:5000/api:2612.01.3a95d8c → nxb-0123456789abcdef (in the local engine only: pushed, then tagged)');
    expect(describeRelease({ releaseRefs: releaseRefs.slice(0, 1), location: 'missing', plan })).toMatch(/\(not built yet: built and pushed first\)$/);
    expect(describeRelease({ releaseRefs: releaseRefs.slice(0, 1), location: 'missing', plan: { ...plan, undecidedBecause: 'the base python:3.11 is in no registry' } })).toMatch(
      /\(to be built first: the base python:3\.11 is in no registry\)$/,
    );
  });
});
