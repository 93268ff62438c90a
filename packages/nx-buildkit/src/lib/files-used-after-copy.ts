import { isWithin } from './context/paths';
import { parseDockerfile, ParsedDockerfile, ParsedInstruction, walkStage } from './dockerfile';
import { readCopy } from './dockerfile-analyzer/copy-sources';
import type { CopiedPath } from './context/ignore-file-content';

/**
 * Files that come into an image inside a copied folder (`COPY apps/api ./`, `COPY . .`) and that a later instruction
 * uses: named by a RUN, a later stage's `COPY --from`, or a CMD (`RUN cp src/.env.test .env`,
 * `COPY --from=builder /app/.env.sample ./`). An ignore rule that excludes one of them breaks the build, though no
 * COPY names the file. A dotenv file that nothing names is still counted when a later RUN, CMD or ENTRYPOINT runs:
 * build tools load those by convention (Next.js, Vite, dotenv), so whether it is read cannot be told from the text.
 *
 * `candidates` are the workspace files to ask about (context-relative: the root ignore file serves workspace-root
 * contexts); the caller passes the ones some ignore rule would exclude.
 */
export function filesUsedAfterCopy(file: string, dockerfile: string | ParsedDockerfile, candidates: readonly string[]): CopiedPath[] {
  const model = typeof dockerfile === 'string' ? parseDockerfile(dockerfile) : dockerfile;
  const used: CopiedPath[] = [];
  const found = new Set<string>();
  const steps = model.stages.flatMap((stage) => walkStage(model, stage.index));
  steps.forEach(({ instruction, before }, index) => {
    const copy = readCopy(instruction, before);
    if (!copy || copy.fromOther) return;
    const later = steps.slice(index + 1).map((step) => step.instruction);
    for (const source of copy.sources) {
      if (source.path === undefined || !['context-root', 'directory', 'glob'].includes(source.kind)) continue;
      const folder = folderOf(source.path);
      for (const path of candidates) {
        if (found.has(path) || !isWithin(path, folder) || path === folder) continue;
        const name = path.split('/').pop() as string;
        const naming = later.find((step) => names(model, step, name));
        if (naming) {
          used.push({ path, by: where(file, naming, model), how: 'reads' });
          found.add(path);
          continue;
        }
        const runs = later.find((step) => ['RUN', 'CMD', 'ENTRYPOINT'].includes(step.keyword));
        if (/^\.env(\.|$)/.test(name) && runs) {
          used.push({ path, by: where(file, instruction, model), how: 'sends', why: `a dotenv file that ${where(file, runs, model)} may load without naming it` });
          found.add(path);
        }
      }
    }
  });
  return used;
}

/** The literal folder a source copies (`apps/*` → `apps`, `.` → `.`). */
function folderOf(path: string): string {
  const literal: string[] = [];
  for (const segment of path.split('/')) {
    if (/[*?[\\]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.length ? literal.join('/') : '.';
}

/** Whether the instruction's text names the file as a whole path segment (`src/.env.test`, `"/app/.env.sample"`). */
function names(model: ParsedDockerfile, instruction: ParsedInstruction, name: string): boolean {
  const text = model.lines.slice(instruction.startLine, instruction.endLine + 1).join('\n');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s/"'=:,;(\`])${escaped}($|[\\s"',;:)\`])`, 'm').test(text);
}

/** `apps/api/Dockerfile:7 RUN cp src/.env.test .env`, shortened to one readable line. */
function where(file: string, instruction: ParsedInstruction, model: ParsedDockerfile): string {
  const text = model.lines
    .slice(instruction.startLine, instruction.endLine + 1)
    .join(' ')
    .replace(/\\\s+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `${file}:${instruction.startLine + 1} ${text.length > 70 ? `${text.slice(0, 67)}...` : text}`;
}
