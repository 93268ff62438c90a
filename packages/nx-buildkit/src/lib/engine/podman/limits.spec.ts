import { podmanLimits } from './limits';

describe('podmanLimits', () => {
  it('says nothing when podman does everything asked', () => {
    expect(podmanLimits({ platforms: [] })).toEqual({});
    expect(podmanLimits({ platforms: ['linux/amd64'], push: true, load: false, cacheFrom: [], cacheTo: [], registry: 'localhost:5000' })).toEqual({});
  });

  it('refuses several platforms with the way out', () => {
    const { refusal, notice } = podmanLimits({ platforms: ['linux/amd64', 'linux/arm64'] });
    expect(notice).toBeUndefined();
    expect(refusal).toMatch(/podman cannot build "platforms" linux\/amd64,linux\/arm64/);
    expect(refusal).toMatch(/set "engine" to "docker"/);
    expect(refusal).not.toMatch(/\n/);
  });

  it('names every option it leaves undone in one line', () => {
    const { notice, refusal } = podmanLimits({ platforms: [], builder: 'ci', cacheFrom: ['type=gha'], cacheTo: ['type=local,dest=/tmp/c'], load: false });
    expect(refusal).toBeUndefined();
    expect(notice).toBe(
      'nx-buildkit: podman does not do "builder" ci (a buildx builder; podman builds itself); "cacheFrom" and "cacheTo" (BuildKit cache exports; podman keeps its layer cache in its own store); "load": false (podman always keeps the image it builds in its image store): building without them.',
    );
  });

  it('mentions the registry layer cache only where the registry option implies it', () => {
    expect(podmanLimits({ platforms: [], registry: 'localhost:5000' }).notice).toMatch(/the registry layer cache/);
    expect(podmanLimits({ platforms: [], registry: 'localhost:5000', cacheFrom: [] }).notice).toBeUndefined();
    expect(podmanLimits({ platforms: [] }).notice).toBeUndefined();
  });
});
