import { assignShards, parseShard } from './shard';

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });
  it.each(['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2', ''])('refuses %p', (value) => {
    expect(parseShard(value)).toBeUndefined();
  });
});

describe('assignShards', () => {
  const target = (id: string, dependsOn: string[] = []) => ({ id, dependsOn });

  it('deals independent images to the shards in turn, in id order', () => {
    const shards = assignShards([target('d:docker-build'), target('a:docker-build'), target('c:docker-build'), target('b:docker-build')], 2);
    expect(Object.fromEntries(shards)).toEqual({ 'a:docker-build': 1, 'b:docker-build': 2, 'c:docker-build': 1, 'd:docker-build': 2 });
  });

  it('keeps an image with the images it starts FROM, through chains and shared bases', () => {
    const shards = assignShards(
      [
        target('base:docker-build'),
        target('api:docker-build', ['base:docker-build']),
        target('worker:docker-build', ['api:docker-build']),
        target('web:docker-build'),
        target('admin:docker-build', ['web:docker-build', 'ui:build']),
        target('zed:docker-build'),
      ],
      3,
    );
    expect(shards.get('api:docker-build')).toBe(shards.get('base:docker-build'));
    expect(shards.get('worker:docker-build')).toBe(shards.get('base:docker-build'));
    expect(shards.get('admin:docker-build')).toBe(shards.get('web:docker-build'));
    // Groups by first id: [admin, web] → 1, [api, base, worker] → 2, [zed] → 3.
    expect(shards.get('admin:docker-build')).toBe(1);
    expect(shards.get('api:docker-build')).toBe(2);
    expect(shards.get('zed:docker-build')).toBe(3);
  });

  it('does not depend on the order the targets are listed in', () => {
    const targets = [target('b:x', ['a:x']), target('a:x'), target('c:x'), target('e:x', ['d:x']), target('d:x')];
    const forward = Object.fromEntries(assignShards(targets, 2));
    expect(Object.fromEntries(assignShards([...targets].reverse(), 2))).toEqual(forward);
  });

  it('puts everything in the one shard of 1/1', () => {
    expect(new Set(assignShards([target('a:x'), target('b:x')], 1).values())).toEqual(new Set([1]));
  });
});
