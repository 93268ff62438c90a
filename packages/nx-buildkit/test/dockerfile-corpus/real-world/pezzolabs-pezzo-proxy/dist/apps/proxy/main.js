// stand-in for the esbuild output nx build writes
