import { DockerfileRule } from '../rule';

export const syntaxDirective: DockerfileRule = {
  id: 'syntax/directive-pulls-image',
  severity: 'warning',
  description: 'A "# syntax=" line makes BuildKit pull a frontend image on every build; it fails without registry access.',
  check({ dockerfile }) {
    return dockerfile.directives
      .filter((directive) => directive.name === 'syntax')
      .map((directive) => ({
        line: directive.line,
        message: `"# syntax=${directive.value}" makes BuildKit resolve and pull ${directive.value} before each build: an extra registry round trip, and a failure where no registry is reachable.`,
        fix: "Remove the line: Docker 23+'s built-in frontend supports cache mounts, secrets and here-documents. Keep it only for labs features (COPY --exclude, --parents).",
      }));
  },
};
