/** A build's link to Ctrl-C and SIGTERM: the abort signal its engine process is stopped by, and which signal came. */
export interface SignalInterrupt {
  /** Aborted on the first SIGINT or SIGTERM while listening. */
  readonly signal: AbortSignal;
  /** The signal that interrupted the build, if one came. */
  interruptedBy(): NodeJS.Signals | undefined;
  /** Stops listening: call when the engine process has ended, so later signals go to whoever handles them next. */
  release(): void;
}

/**
 * Listens for SIGINT and SIGTERM while an engine process builds (buildx or podman): a signal stops that process
 * through `signal`, so the build is recorded as interrupted and nothing is tagged.
 */
export function interruptOnSignals(): SignalInterrupt {
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interruptedBy = signal;
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    interruptedBy: () => interruptedBy,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
