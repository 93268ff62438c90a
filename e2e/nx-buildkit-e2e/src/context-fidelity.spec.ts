import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listContextFiles } from '../../../packages/nx-buildkit/src/lib/context';
import { run, runOk } from './support/processes';

/**
 * Context fidelity: for each case, a real `docker buildx build` (BuildKit, docker driver) copies the whole context
 * into a FROM scratch image; the files that arrive are compared with what `listContextFiles` says would be sent.
 * Docker is the oracle: whatever BuildKit sends (moby/patternmatcher matching, tonistiigi/fsutil walking), the
 * plugin's listing must be the same.
 */

/** A file's content, a symlink (its target, which may dangle) or an empty directory. */
type TreeEntry = string | { readonly symlink: string } | { readonly dir: true };

interface DockerfileSpec {
  /** Dockerfile path: relative to the context when `inContext`, else a file name in a sibling folder outside it. */
  readonly path: string;
  readonly inContext: boolean;
  /** Text of `<Dockerfile>.dockerignore` written beside the Dockerfile (it replaces the context's `.dockerignore`). */
  readonly ignore?: string;
  /** Other files written beside the Dockerfile (name -> content). */
  readonly besideFiles?: Readonly<Record<string, string>>;
}

interface FidelityCase {
  /** Lowercase slug: names the image (`nxb-fidelity-<id>:test`) and the test. */
  readonly id: string;
  readonly title: string;
  readonly tree: Readonly<Record<string, TreeEntry>>;
  /** Text of `<context>/.dockerignore`; no file when undefined. */
  readonly dockerignore?: string;
  /** Default: `Dockerfile` in a folder outside the context, so it is not part of the tree. */
  readonly dockerfile?: DockerfileSpec;
  /**
   * Whether BuildKit must send every file of the context (no ignore rule applies). Default false: the case only
   * means something if the ignore rules drop at least one file, so that is checked too.
   */
  readonly sendsEverything?: boolean;
}

const DOCKERFILE_TEXT = 'FROM scratch\nCOPY . /ctx/\n';
const BOM = '\uFEFF';

const CASES: readonly FidelityCase[] = [
  // Control: no ignore file at all, so the harness itself must not lose or invent files.
  {
    id: 'control-no-ignore-file',
    title: 'no .dockerignore: every file, symlink and odd name arrives',
    tree: {
      'top.txt': 'top',
      '.hidden': 'h',
      'a/b/c/d/deep.txt': 'deep',
      'dir with space/file with space.txt': 's',
      'link-to-top': { symlink: 'top.txt' },
      'dangling-link': { symlink: 'does/not/exist' },
      'empty-dir': { dir: true },
      'a/b/empty': { dir: true },
    },
    sendsEverything: true,
  },
  {
    id: 'nested-dirs',
    title: 'nested directories 3+ levels deep, excluded at several depths',
    tree: {
      'a/b/c/d/e/f.txt': 'f',
      'a/b/c/d/deep.txt': 'deep',
      'a/b/c/keep.txt': 'keep',
      'a/b/other.txt': 'other',
      'a/b/c2/d/x.txt': 'x',
      'a/top.txt': 'top',
      'z/y/x/w/v.txt': 'v',
    },
    dockerignore: 'a/b/c/d\na/b/other.txt\nz/y/x/w/v.txt\n',
  },
  {
    id: 'doublestar-node-modules',
    title: '**/node_modules at the root and at any depth, not as a name suffix',
    tree: {
      'node_modules/x.js': 'x',
      'pkg/node_modules/y/z.js': 'z',
      'pkg/a/b/node_modules/q.js': 'q',
      'pkg/node_modules_backup/x.js': 'kept',
      'my_node_modules/x.js': 'kept',
      'pkg/src/index.js': 'kept',
    },
    dockerignore: '**/node_modules\n',
  },
  {
    id: 'doublestar-middle',
    title: 'a/**/b matches a/b, a/x/b, a/x/y/b (files and dirs) but not a/xb or c/a/b',
    tree: {
      'a/b': 'file b directly under a',
      'a/x/b': 'file',
      'a/x/y/b/c.txt': 'inside dir b',
      'a/xb': 'kept',
      'a/x/bb': 'kept',
      b: 'kept',
      'c/a/b': 'kept',
      'a/keep.txt': 'kept',
    },
    dockerignore: 'a/**/b\n',
  },
  {
    id: 'doublestar-log',
    title: '**/*.log everywhere, including a hidden .log, but not .log.txt',
    tree: {
      'root.log': 'l',
      '.log': 'hidden',
      'a/x.log': 'l',
      'a/b/c/y.log': 'l',
      'a/log': 'kept',
      'a/x.log.txt': 'kept',
      'a/b/c/readme.md': 'kept',
    },
    dockerignore: '**/*.log\n',
  },
  {
    id: 'exception-readme',
    title: '*.md then !README.md (root only)',
    tree: {
      'README.md': 'kept by exception',
      'CHANGELOG.md': 'excluded',
      'docs/README.md': 'kept: *.md is root-only',
      'docs/guide.md': 'kept: *.md is root-only',
      'src/index.ts': 'kept',
    },
    dockerignore: '*.md\n!README.md\n',
  },
  {
    id: 'exception-literal-in-excluded-dir',
    title: 'docs then !docs/keep.txt: a literal exception inside an excluded directory',
    tree: {
      'docs/keep.txt': 'kept by exception',
      'docs/drop.txt': 'excluded',
      'docs/sub/keep.txt': 'excluded: the exception is docs/keep.txt only',
      'docs/sub/deeper/x.txt': 'excluded',
      'keep.txt': 'kept',
      'docs2/keep.txt': 'kept',
    },
    dockerignore: 'docs\n!docs/keep.txt\n',
  },
  {
    id: 'exception-glob',
    title: '**/*.txt then !**/keep.txt: a glob exception at every depth',
    tree: {
      'keep.txt': 'kept',
      'a.txt': 'excluded',
      'a/keep.txt': 'kept',
      'a/x.txt': 'excluded',
      'a/b/keep.txt': 'kept',
      'a/b/keep.txt.bak': 'kept (not .txt)',
      'a/b/c/d/keep.txt': 'kept',
      'a/b/c/d/nope.txt': 'excluded',
    },
    dockerignore: '**/*.txt\n!**/keep.txt\n',
  },
  {
    id: 'exception-reincludes-dir',
    title: 'docs, !docs/sub, docs/sub/*.bak: re-include a whole directory, then re-exclude part of it',
    tree: {
      'docs/a.txt': 'excluded',
      'docs/sub/b.txt': 'kept',
      'docs/sub/c/d.txt': 'kept',
      'docs/sub/e.bak': 'excluded again',
      'docs/sub/c/f.bak': 'kept: *.bak does not cross /',
      'docs/other/g.txt': 'excluded',
    },
    dockerignore: 'docs\n!docs/sub\ndocs/sub/*.bak\n',
  },
  ...['*.md', '**/*.md', '**.md'].map(
    (pattern, i): FidelityCase => ({
      id: ['star-md', 'doublestar-slash-md', 'doublestar-md'][i],
      title: `${pattern}: which depths of .md files (and a directory named x.md) are excluded`,
      tree: {
        'a.md': 'a',
        'docs/b.md': 'b',
        'docs/deep/c.md': 'c',
        'docs/deep/c.mdx': 'kept',
        'notmd.txt': 'kept',
        'x.md/inner.txt': 'inside a directory named x.md',
        'docs/y.md/inner.txt': 'inside a nested directory named y.md',
        'amd': 'kept: . is literal',
      },
      dockerignore: `${pattern}\n`,
    }),
  ),
  {
    id: 'star-no-slash',
    title: '*/temp* matches one level only: * does not cross /',
    tree: {
      'temp.txt': 'kept: */ needs a directory',
      'a/temp.txt': 'excluded',
      'a/tempdir/x.txt': 'excluded via its directory',
      'a/b/temp.txt': 'kept: two levels',
      'b/notemp.txt': 'kept',
      'c/temp': 'excluded',
    },
    dockerignore: '*/temp*\n',
  },
  {
    id: 'question-mark',
    title: 'temp? and q?r match exactly one character, never /',
    tree: {
      temp1: 'excluded',
      tempA: 'excluded',
      'tempd/x.txt': 'excluded via its directory',
      temp: 'kept',
      temp12: 'kept',
      'a/temp1': 'kept: root-only pattern',
      qar: 'excluded by q?r',
      'q/r': 'kept: ? does not match /',
    },
    dockerignore: 'temp?\nq?r\n',
  },
  {
    id: 'names-spaces-dots',
    title: 'names with spaces and dots: literal . , hidden files, a.b.c',
    tree: {
      'my file.txt': 'excluded',
      'my  file.txt': 'kept: two spaces',
      'dir with space/x.txt': 'excluded',
      'dir with space2/x.txt': 'kept',
      '.hidden': 'excluded',
      '.hiddenX': 'kept',
      'sub/.hidden': 'kept: root-only pattern',
      'a.b.c': 'excluded',
      aXbXc: 'kept: . is not a regexp wildcard',
      'a.b.cd': 'kept',
      '.dotdir/x': 'excluded via .dotdir/*',
    },
    dockerignore: 'my file.txt\ndir with space\n.hidden\na.b.c\n.dotdir/*\n',
  },
  {
    id: 'regex-metacharacters',
    title: 'c++, (x), {a,b}.txt, a|b, $HOME, and g++-*, (y)*, $V* are literal names, not regexps',
    tree: {
      'c++/x.cpp': 'excluded',
      'cc/x.cpp': 'kept: + is not a regexp quantifier',
      'ccc/x.cpp': 'kept',
      '(x)': 'excluded',
      x: 'kept: ( ) are not a regexp group',
      '{a,b}.txt': 'excluded',
      'a.txt': 'kept: no brace expansion',
      'a|b': 'excluded',
      a: 'kept: | is not a regexp alternation (in an exact pattern)',
      $HOME: 'excluded',
      HOME: 'kept',
      'lib/c++/y.cpp': 'kept: root-only pattern',
      'c++x': 'kept',
      // With a * the pattern becomes a regexp, so the escaping of each metacharacter matters.
      'g++-12': 'excluded by g++-*',
      'gg-12': 'kept',
      '(y)1': 'excluded by (y)*',
      y1: 'kept',
      $Vx: 'excluded by $V*',
      Vx: 'kept',
    },
    dockerignore: 'c++\n(x)\n{a,b}.txt\na|b\n$HOME\ng++-*\n(y)*\n$V*\n',
  },
  {
    // moby/patternmatcher means to escape `.+()|{}$`, but its escape bitmap is [8]byte indexed by b%8 with bit b/8:
    // for | { } (>= 64) the bit is >= 8 and is lost, so those three reach the Go regexp unescaped.
    id: 'regex-alternation-and-braces',
    title: 'a|b* and x{1,2}* in a regexp-type pattern: | and {} are NOT escaped by Docker',
    tree: {
      'a|bc': 'excluded either way',
      abc: 'excluded by Docker: ^a|b[^/]*$ is an alternation',
      a: 'excluded by Docker',
      'lib/keep.txt': 'excluded by Docker: the unanchored b[^/]*$ matches its directory lib',
      'b-file': 'excluded by Docker: b[^/]*$',
      'keep.txt': 'kept',
      'x{1,2}y': 'excluded either way',
      xxy: 'excluded by Docker: x{1,2} is a quantifier',
      x: 'excluded by Docker',
      y: 'kept',
      'other/x': 'kept',
    },
    dockerignore: 'a|b*\nx{1,2}*\n',
  },
  {
    id: 'char-classes',
    title: '[ab].txt, [0-9]*.log, escaped \\[lit\\].txt, and [^x] (which can match /)',
    tree: {
      'a.txt': 'excluded',
      'b.txt': 'excluded',
      'c.txt': 'kept',
      '[ab].txt': 'kept: the class does not match the literal name',
      '[lit].txt': 'excluded by the escaped pattern',
      'l.txt': 'kept',
      '1.log': 'excluded',
      '22.log': 'excluded',
      'x1.log': 'kept',
      'p/q': 'p[^x]q: a negated class is a regexp class, so it may match /',
      pxq: 'kept',
      pyq: 'excluded',
    },
    dockerignore: '[ab].txt\n\\[lit\\].txt\n[0-9]*.log\np[^x]q\n',
  },
  {
    id: 'case-sensitive',
    title: '*.MD and Readme.TXT match case-sensitively',
    tree: {
      'a.md': 'kept',
      'B.MD': 'excluded',
      'c.Md': 'kept',
      'readme.txt': 'kept',
      'Readme.TXT': 'excluded',
    },
    dockerignore: '*.MD\nReadme.TXT\n',
  },
  {
    id: 'leading-slash-and-dot',
    title: 'leading / and ./ in patterns are relative to the context root, also in exceptions',
    tree: {
      'root.txt': 'excluded by /root.txt',
      'sub/root.txt': 'kept',
      'sub/x.txt': 'excluded by ./sub/x.txt',
      'a/b/y.txt': 'excluded by /a/b/',
      'a/b/keep': 'kept by !/a/b/keep',
      'a/c.txt': 'kept',
      'd/e/f.txt': 'excluded by ./d/../d/e (cleaned)',
    },
    dockerignore: '/root.txt\n./sub/x.txt\n/a/b/\n!/a/b/keep\n./d/../d/e\n',
  },
  {
    id: 'trailing-slash',
    title: 'build/ excludes the directory and logs/ also excludes a FILE named logs (no dir-only rule)',
    tree: {
      'build/out.js': 'excluded',
      'build/nested/x.js': 'excluded',
      logs: 'a file named logs',
      'src/build/x.js': 'kept: root-only pattern',
      'build.txt': 'kept',
    },
    dockerignore: 'build/\nlogs/\n',
  },
  {
    id: 'comments-blank-lines',
    title: 'BOM, CRLF, # comments, blank and whitespace-only lines, " #x" is a pattern, padded patterns',
    tree: {
      'bom.txt': 'excluded by the first line (after the BOM)',
      'secret.txt': 'excluded: surrounding spaces are trimmed',
      '# not a comment': 'excluded: # after a space is a pattern',
      '#hash.txt': 'kept: its line is a comment',
      'keep.txt': 'kept',
      'tab.txt': 'excluded',
      'drop.ini': 'excluded by *.ini',
      'keep.ini': 'kept by "!   keep.ini" (spaces after ! are trimmed)',
    },
    dockerignore: `${BOM}bom.txt\r\n# a comment\r\n\r\n   \r\n  secret.txt   \r\n #not-matching-anything\r\n # not a comment\r\n#hash.txt\r\n\ttab.txt\t\r\n*.ini\r\n!   keep.ini\r\n`,
  },
  {
    id: 'excludes-dockerignore-itself',
    title: 'a .dockerignore that excludes itself',
    tree: { 'a.txt': 'kept', 'b.tmp': 'excluded' },
    dockerignore: '.dockerignore\n*.tmp\n',
  },
  {
    id: 'excludes-dockerfile-in-context',
    title: 'a .dockerignore that excludes the Dockerfile inside the context',
    tree: { 'a.txt': 'kept', 'b.tmp': 'excluded' },
    dockerignore: 'Dockerfile\n*.tmp\n',
    dockerfile: { path: 'Dockerfile', inContext: true },
  },
  {
    id: 'dockerfile-in-context-kept',
    title: 'a Dockerfile inside the context that no pattern excludes',
    tree: { 'a.txt': 'kept', 'b.tmp': 'excluded', 'sub/c.txt': 'kept' },
    dockerignore: '*.tmp\n',
    dockerfile: { path: 'Dockerfile', inContext: true },
  },
  {
    id: 'last-match-wins',
    title: 'the last matching line wins: !x before x, and a later exclude after an exception',
    tree: {
      'keep.txt': 'excluded: *.txt comes after !keep.txt',
      'a.txt': 'excluded',
      'important.log': 'excluded: important* comes after !important.log',
      'other.log': 'excluded',
      'a.cfg': 'kept: !a.cfg comes last',
      'b.cfg': 'excluded',
      'notes.md': 'kept',
    },
    dockerignore: '!keep.txt\n*.txt\n*.log\n!important.log\nimportant*\n*.cfg\n!a.cfg\n',
  },
  {
    id: 'symlinks',
    title: 'symlinks are sent as links (not followed), excluded by their own name only',
    tree: {
      'target.txt': 'excluded',
      'link.txt': { symlink: 'target.txt' },
      'real/a.txt': 'excluded by real/*.txt',
      'real/b.bin': 'kept',
      dirlink: { symlink: 'real' },
      dangling: { symlink: 'nowhere/at/all' },
      'excluded-link': { symlink: 'real/b.bin' },
      'sub/up': { symlink: '../target.txt' },
    },
    dockerignore: 'target.txt\nreal/*.txt\nexcluded-link\n',
  },
  {
    id: 'empty-dirs',
    title: 'empty directories, and directories emptied by the ignore rules, are not listed as files',
    tree: {
      empty: { dir: true },
      'a/empty': { dir: true },
      'a/b/c/empty': { dir: true },
      'emptied/x.tmp': 'excluded',
      'emptied/deeper/y.tmp': 'excluded',
      'a/file.txt': 'kept',
    },
    dockerignore: '**/*.tmp\n',
  },
  {
    id: 'exclude-all-but',
    title: '* then !src and !package.json: an allow-list',
    tree: {
      'package.json': '{}',
      'src/index.ts': 'kept',
      'src/lib/a.ts': 'kept',
      'README.md': 'excluded',
      'dist/index.js': 'excluded',
      '.env': 'excluded',
    },
    dockerignore: '*\n!src\n!package.json\n',
  },
  {
    id: 'exclude-everything-doublestar',
    title: '** then !src/**/*.ts: a glob exception under a match-everything pattern',
    tree: {
      'src/index.ts': 'kept',
      'src/lib/deep/a.ts': 'kept',
      'src/lib/deep/a.js': 'excluded',
      'src/notes.md': 'excluded',
      'package.json': 'excluded',
    },
    dockerignore: '**\n!src/**/*.ts\n',
  },
  // Dockerfile-specific ignore files.
  {
    id: 'custom-ignore-in-context',
    title: 'Dockerfile.custom.dockerignore beside Dockerfile.custom (in the context) replaces .dockerignore',
    tree: {
      'from-dockerignore.txt': 'kept: .dockerignore is not used',
      'from-custom.txt': 'excluded by the custom ignore file',
      'sub/from-custom.txt': 'kept: root-only pattern',
    },
    dockerignore: 'from-dockerignore.txt\n',
    dockerfile: { path: 'Dockerfile.custom', inContext: true, ignore: 'from-custom.txt\n' },
  },
  {
    id: 'custom-ignore-outside-context',
    title: 'Dockerfile.custom.dockerignore beside an out-of-context Dockerfile.custom replaces .dockerignore',
    tree: {
      'from-dockerignore.txt': 'kept',
      'from-custom.txt': 'excluded',
      'a/b/c.log': 'excluded',
    },
    dockerignore: 'from-dockerignore.txt\n',
    dockerfile: { path: 'Dockerfile.custom', inContext: false, ignore: 'from-custom.txt\n**/*.log\n' },
  },
  {
    id: 'custom-ignore-in-subdir',
    title: 'docker/Dockerfile.custom.dockerignore: its patterns are relative to the context root, not its folder',
    tree: {
      'app/a.log': 'excluded by app/*.log',
      'app/main.ts': 'kept',
      'docker/notes.md': 'excluded by docker/notes.md',
      'notes.md': 'kept',
      'from-dockerignore.txt': 'kept: .dockerignore is not used',
    },
    dockerignore: 'from-dockerignore.txt\n',
    dockerfile: { path: 'docker/Dockerfile.custom', inContext: true, ignore: 'app/*.log\ndocker/notes.md\n' },
  },
  {
    id: 'custom-dockerfile-without-own-ignore',
    title: 'Dockerfile.custom without its own ignore file falls back to .dockerignore',
    tree: { 'from-dockerignore.txt': 'excluded', 'other.txt': 'kept' },
    dockerignore: 'from-dockerignore.txt\n',
    dockerfile: { path: 'Dockerfile.custom', inContext: true },
  },
  {
    id: 'empty-custom-ignore',
    title: 'an EMPTY Dockerfile.custom.dockerignore still replaces .dockerignore (so nothing is excluded)',
    tree: { 'from-dockerignore.txt': 'sent', 'other.txt': 'sent' },
    dockerignore: 'from-dockerignore.txt\n',
    dockerfile: { path: 'Dockerfile.custom', inContext: false, ignore: '' },
    sendsEverything: true,
  },
  {
    id: 'ignore-files-that-do-not-apply',
    title: 'a .dockerignore beside an out-of-context Dockerfile, and Dockerfile.dockerignore at the context root, do not apply',
    tree: {
      'Dockerfile.dockerignore': 'from-context-root-dockerfile-ignore.txt\n',
      'from-context-root-dockerfile-ignore.txt': 'kept',
      'from-stray.txt': 'kept',
      'from-dockerignore.txt': 'excluded',
    },
    dockerignore: 'from-dockerignore.txt\n',
    dockerfile: { path: 'Dockerfile', inContext: false, besideFiles: { '.dockerignore': 'from-stray.txt\n' } },
  },
  {
    id: 'unicode-names',
    title: '? matches one character of a non-ASCII name (é, an emoji); \\#*\\# (gitignore style) matches #name#',
    tree: {
      'caf\u00e9.txt': 'excluded by caf?.txt',
      'cafe2.txt': 'kept',
      '\u{1F600}.png': 'excluded by ?.png',
      'ab.png': 'kept',
      'd\u00e9j\u00e0/vu.txt': 'excluded by d?j?/*',
      '#notes#': 'excluded by \\#*\\#',
      'notes#': 'kept',
    },
    dockerignore: 'caf?.txt\n?.png\nd?j?/*\n\\#*\\#\n',
  },
  // Edges of Go's text handling (bufio + strings.TrimSpace, RE2 regexps, filepath.Match syntax) where JavaScript's
  // String.prototype.trim and RegExp differ.
  {
    id: 'bom-not-on-first-line',
    title: 'a BOM at the start of line 2 (concatenated files) is part of the pattern: Go does not trim U+FEFF',
    tree: { 'secret.txt': 'sent: the pattern is "\\uFEFFsecret.txt"', 'first.txt': 'excluded', 'other.txt': 'kept' },
    dockerignore: `${BOM}first.txt\n${BOM}secret.txt\n`,
  },
  {
    id: 'nel-is-space-in-go',
    title: 'U+0085 (NEL) around a pattern is whitespace for Go strings.TrimSpace',
    tree: { 'x.txt': 'excluded: the pattern trims to x.txt', 'y.txt': 'kept' },
    dockerignore: 'x.txt\u0085\n',
  },
  {
    id: 'doublestar-across-odd-dir-names',
    title: '** (regexp .*) crosses directory names containing \\r and U+2028, as RE2 . does',
    tree: {
      'a\u2028b/x.log': 'excluded',
      'c\rd/y.log': 'excluded',
      'plain/z.log': 'excluded',
      'keep.txt': 'kept',
    },
    dockerignore: '**/*.log\n',
  },
  {
    id: 'bang-in-char-class',
    title: '[!] is a one-character class (Go has no [!...] negation)',
    tree: { '!': 'excluded', a: 'kept', '[!]': 'kept' },
    dockerignore: '[!]\n',
  },
  {
    id: 'escaped-letter',
    title: '\\a in a pattern is the RE2 escape for BEL, not a literal a',
    tree: { 'abc.txt': 'kept', '\u0007bc.txt': 'excluded' },
    dockerignore: '\\abc.txt\n',
  },
];

interface Outcome {
  readonly context: string;
  readonly dockerfile: string;
  /** Files (and symlinks) BuildKit delivered into /ctx, sorted by bytes. */
  readonly docker: string[];
  /** Every non-directory entry of the context, sorted by bytes: what an empty ignore file would send. */
  readonly all: string[];
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

const CONCURRENCY = 3;

/** Names with control or non-ASCII characters, escaped so that a failing diff shows them (injective: \\ is escaped too). */
function visible(name: string): string {
  return name.replace(/[^\x20-\x5b\x5d-\x7e]/gu, (ch) => (ch === '\\' ? '\\\\' : `\\u{${ch.codePointAt(0)!.toString(16)}}`));
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function writeTree(root: string, tree: Readonly<Record<string, TreeEntry>>): void {
  mkdirSync(root, { recursive: true });
  for (const [path, entry] of Object.entries(tree)) {
    const abs = join(root, path);
    if (typeof entry === 'string') {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, entry);
    } else if ('symlink' in entry) {
      mkdirSync(dirname(abs), { recursive: true });
      symlinkSync(entry.symlink, abs);
    } else {
      mkdirSync(abs, { recursive: true });
    }
  }
}

/** Every file and symlink under `root` (not directories), as sorted POSIX paths relative to it. */
function allFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel))) {
    const path = rel ? `${rel}/${name}` : name;
    if (lstatSync(join(root, path)).isDirectory()) out.push(...allFiles(root, path));
    else out.push(path);
  }
  return out.sort(compareBytes);
}

interface Materialized {
  readonly caseRoot: string;
  readonly context: string;
  readonly dockerfile: string;
}

function materialize(suiteRoot: string, c: FidelityCase): Materialized {
  const caseRoot = join(suiteRoot, c.id);
  const context = join(caseRoot, 'ctx');
  writeTree(context, c.tree);
  mkdirSync(context, { recursive: true });
  if (c.dockerignore !== undefined) writeFileSync(join(context, '.dockerignore'), c.dockerignore);
  const spec = c.dockerfile ?? { path: 'Dockerfile', inContext: false };
  const dockerfile = spec.inContext ? join(context, spec.path) : join(caseRoot, 'df', spec.path);
  mkdirSync(dirname(dockerfile), { recursive: true });
  writeFileSync(dockerfile, DOCKERFILE_TEXT);
  if (spec.ignore !== undefined) writeFileSync(`${dockerfile}.dockerignore`, spec.ignore);
  for (const [name, text] of Object.entries(spec.besideFiles ?? {})) writeFileSync(join(dirname(dockerfile), name), text);
  return { caseRoot, context, dockerfile };
}

interface Created {
  readonly tag: string;
  imageId?: string;
  containerId?: string;
}

const created: Created[] = [];

/** Builds the case, exports a container of the image and lists what arrived under /ctx. */
async function buildAndList(c: FidelityCase, m: Materialized): Promise<Outcome> {
  const all = allFiles(m.context);
  const record: Created = { tag: `nxb-fidelity-${c.id}:test` };
  created.push(record);
  const iidFile = join(m.caseRoot, 'iid');
  await runOk('docker', ['buildx', 'build', '--load', '--progress=plain', '--iidfile', iidFile, '-t', record.tag, '--file', m.dockerfile, m.context]);
  // The content-addressed id, not the tag: another run of this suite may retag the same name meanwhile.
  record.imageId = readFileSync(iidFile, 'utf8').trim();
  // FROM scratch has no command; create needs one but never runs it.
  record.containerId = (await runOk('docker', ['create', record.imageId, '/nothing'])).stdout.trim();
  const tarFile = join(m.caseRoot, 'export.tar');
  await runOk('docker', ['export', '--output', tarFile, record.containerId]);
  await run('docker', ['rm', '--force', record.containerId]);
  record.containerId = undefined;
  // literal quoting: names are printed as they are (spaces, \r, U+2028, BEL), one per line.
  const listing = (await runOk('tar', ['--quoting-style=literal', '-tf', tarFile])).stdout;
  const docker = listing
    .split('\n')
    .filter((name) => name.startsWith('ctx/') && !name.endsWith('/'))
    .map((name) => name.slice('ctx/'.length))
    .sort(compareBytes);
  return { context: m.context, dockerfile: m.dockerfile, docker, all };
}

/** Runs the tasks at most `limit` at a time; each settles on its own, so one failure fails one case only. */
function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<Settled<T>>[] {
  const waiting: Array<() => void> = [];
  let active = 0;
  const acquire = async (): Promise<void> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  };
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return tasks.map(async (task): Promise<Settled<T>> => {
    await acquire();
    try {
      return { ok: true, value: await task() };
    } catch (error) {
      return { ok: false, error };
    } finally {
      release();
    }
  });
}

describe('context fidelity: listContextFiles lists exactly what a real BuildKit build receives', () => {
  let suiteRoot: string;
  const outcomes = new Map<string, Promise<Settled<Outcome>>>();
  let startedAt = 0;

  beforeAll(() => {
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    startedAt = Date.now();
    suiteRoot = mkdtempSync(join(tmpdir(), 'nxb-fidelity-'));
    const materialized = CASES.map((c) => materialize(suiteRoot, c));
    const settled = pool(
      CASES.map((c, i) => () => buildAndList(c, materialized[i])),
      CONCURRENCY,
    );
    CASES.forEach((c, i) => outcomes.set(c.id, settled[i]));
  });

  afterAll(async () => {
    await Promise.all(outcomes.values());
    console.log(`context fidelity: ${CASES.length} builds in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${CONCURRENCY} at a time)`);
    for (const record of created) {
      if (record.containerId) await run('docker', ['rm', '--force', record.containerId]);
      if (!record.imageId) continue;
      const tagged = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', record.tag]);
      // Remove our tag only while it still names our image; otherwise remove our (now untagged) image by id.
      if (tagged.exitCode === 0 && tagged.stdout.trim() === record.imageId) await run('docker', ['rmi', record.tag]);
      else await run('docker', ['rmi', record.imageId]);
    }
    if (suiteRoot) rmSync(suiteRoot, { recursive: true, force: true });
  });

  it.each(CASES)('$id: $title', async (c) => {
    const settled = await outcomes.get(c.id);
    if (!settled) throw new Error(`case ${c.id} was not scheduled`);
    if (!settled.ok) throw settled.error;
    const { context, dockerfile, docker, all } = settled.value;

    let ours: string[];
    try {
      ours = await listContextFiles({ context, dockerfile });
    } catch (error) {
      ours = [`<listContextFiles threw: ${error instanceof Error ? error.message : String(error)}>`];
    }
    expect(ours.map(visible)).toEqual(docker.map(visible));

    // The case must exercise the ignore rules (or, for the control cases, prove the harness loses nothing).
    if (c.sendsEverything) expect(docker).toEqual(all);
    else expect(docker).not.toEqual(all);
    expect(docker.length).toBeGreaterThan(0);
  });
});
