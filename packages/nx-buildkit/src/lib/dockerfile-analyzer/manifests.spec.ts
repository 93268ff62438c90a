import { globLooksLikeManifests, isManifestDirName, isManifestFileName, isManifestPath } from './manifests';

describe('manifests', () => {
  it.each(['package.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'requirements.txt', 'requirements-dev.txt', 'pyproject.toml', 'poetry.lock', 'uv.lock', 'go.mod', 'go.sum', 'Gemfile.lock', 'pom.xml', 'build.gradle.kts', 'composer.json', 'Cargo.lock', 'Api.csproj', '.npmrc'])(
    '%s is a manifest',
    (name) => expect(isManifestFileName(name)).toBe(true),
  );

  it.each(['setup.py', 'app.gemspec', 'tsconfig.json', 'main.py', 'Dockerfile', 'README.md', 'src'])('%s is not a manifest', (name) => {
    expect(isManifestFileName(name)).toBe(false);
  });

  it('counts files in manifest folders', () => {
    expect(isManifestDirName('wheels')).toBe(true);
    expect(isManifestPath('requirements/base.txt')).toBe(true);
    expect(isManifestPath('.mvn/wrapper/maven-wrapper.properties')).toBe(true);
    expect(isManifestPath('src/requirements.py')).toBe(false);
  });

  it('judges globs by what they could match', () => {
    expect(globLooksLikeManifests('package*.json')).toBe(true);
    expect(globLooksLikeManifests('requirements*.txt')).toBe(true);
    expect(globLooksLikeManifests('*.csproj')).toBe(true);
    expect(globLooksLikeManifests('go.*')).toBe(true);
    expect(globLooksLikeManifests('*.json')).toBe(false);
    expect(globLooksLikeManifests('*')).toBe(false);
    expect(globLooksLikeManifests('*.py')).toBe(false);
  });
});
