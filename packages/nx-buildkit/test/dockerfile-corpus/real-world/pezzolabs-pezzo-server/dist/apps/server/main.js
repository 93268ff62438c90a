// stand-in for the webpack bundle nx build writes
