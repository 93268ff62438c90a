import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { globalPrefixOf, nestGlobalPrefix } from './nest-global-prefix';

const NX_NEST_MAIN = `import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app/app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const globalPrefix = 'api';
  app.setGlobalPrefix(globalPrefix);
  const port = process.env.PORT || 3000;
  await app.listen(port);
}

bootstrap();
`;

describe('globalPrefixOf', () => {
  it("reads the prefix through the constant Nx's NestJS app names it with", () => {
    expect(globalPrefixOf(NX_NEST_MAIN)).toBe('/api');
  });

  it('reads a literal prefix, with or without slashes', () => {
    expect(globalPrefixOf("app.setGlobalPrefix('v1');")).toBe('/v1');
    expect(globalPrefixOf('app.setGlobalPrefix("/v2/");')).toBe('/v2');
  });

  it('gives nothing without a prefix, an empty one, or one it cannot resolve', () => {
    expect(globalPrefixOf('await app.listen(3000);')).toBeUndefined();
    expect(globalPrefixOf("app.setGlobalPrefix('');")).toBeUndefined();
    expect(globalPrefixOf('app.setGlobalPrefix(config.prefix);')).toBeUndefined();
  });
});

describe('nestGlobalPrefix', () => {
  it("reads main.ts in the project's source root", () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('apps/nest-api/src/main.ts', NX_NEST_MAIN);
    expect(nestGlobalPrefix(tree, 'apps/nest-api', 'apps/nest-api/src')).toBe('/api');
    expect(nestGlobalPrefix(tree, 'apps/other')).toBeUndefined();
  });
});
