import { runProcess } from './run-process';

/** Runs a small Node program as the child: a real process, as docker and podman are. */
function node(script: string, options: Parameters<typeof runProcess>[2] = {}, forceKillAfterMs?: number) {
  return runProcess(process.execPath, ['-e', script], options, forceKillAfterMs);
}

describe('runProcess', () => {
  it('returns the exit code and both outputs, without their final newline', async () => {
    const result = await node('process.stdout.write("out\\nline 2\\n"); process.stderr.write("err\\n"); process.exitCode = 3');
    expect(result).toEqual({ exitCode: 3, stdout: 'out\nline 2', stderr: 'err', signal: undefined, spawnError: undefined });
  });

  it('says when the program cannot be started, with exit code 127 and no throw', async () => {
    const result = await runProcess('nxb-no-such-program', ['buildx', 'version']);
    expect(result.exitCode).toBe(127);
    expect(result.spawnError).toContain('ENOENT');
    expect(result.spawnError).toContain('nxb-no-such-program buildx version');
  });

  it('passes arguments as they are (no shell), runs in cwd, and adds env to this process environment', async () => {
    process.env.NXB_RUN_PROCESS_SPEC_PARENT = 'from parent';
    try {
      const result = await runProcess(
        process.execPath,
        ['-e', 'console.log(JSON.stringify([process.argv[1], process.cwd(), process.env.NXB_RUN_PROCESS_SPEC_PARENT, process.env.NXB_CHILD]))', '$HOME; echo `x` "quoted"'],
        { cwd: '/', env: { NXB_CHILD: 'given' } },
      );
      expect(JSON.parse(result.stdout)).toEqual(['$HOME; echo `x` "quoted"', '/', 'from parent', 'given']);
    } finally {
      delete process.env.NXB_RUN_PROCESS_SPEC_PARENT;
    }
  });

  it('writes input to stdin, and gives a program that reads none no stdin at all', async () => {
    expect((await node('process.stdin.pipe(process.stdout)', { input: '{"auths":{}}' })).stdout).toBe('{"auths":{}}');
    expect((await node('process.stdout.write(String(require("fs").fstatSync(0).isFIFO()))')).stdout).toBe('false');
  });

  it('streams stderr and stdout as they arrive, whole characters even when a chunk splits one', async () => {
    const chunks: string[] = [];
    // "é" is two bytes in UTF-8: the first leaves in one write, the second 50 ms later.
    const script = 'process.stderr.write(Buffer.from([0xc3])); setTimeout(() => process.stderr.write(Buffer.from([0xa9, 0x0a])), 50); process.stdout.write("o")';
    const seenOut: string[] = [];
    const result = await node(script, { onStderr: (chunk) => chunks.push(chunk), onStdout: (chunk) => seenOut.push(chunk) });
    expect(chunks.join('')).toBe('é\n');
    expect(chunks.every((chunk) => !chunk.includes('\ufffd'))).toBe(true);
    expect(result.stderr).toBe('é');
    expect(seenOut).toEqual(['o']);
  });

  it('stops the process on cancel with SIGTERM and reports the signal', async () => {
    const cancel = new AbortController();
    const started = Date.now();
    const result = await node('process.stdout.write("ready"); setTimeout(() => undefined, 60_000)', { cancelSignal: cancel.signal, onStdout: () => cancel.abort() });
    expect(result.signal).toBe('SIGTERM');
    expect(result.exitCode).toBe(128);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const cancel = new AbortController();
    const script = 'process.on("SIGTERM", () => undefined); process.stdout.write("ready"); setTimeout(() => undefined, 60_000)';
    const result = await node(script, { cancelSignal: cancel.signal, onStdout: () => cancel.abort() }, 200);
    expect(result.signal).toBe('SIGKILL');
  });

  it('stops the process at once when the cancel signal was aborted before the start', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const result = await node('setTimeout(() => undefined, 60_000)', { cancelSignal: cancel.signal });
    expect(result.signal).toBe('SIGTERM');
  });
});
