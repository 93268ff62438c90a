module hoppscotch-selfhost-web/webapp-server

go 1.24.0

toolchain go1.24.1

require (
	github.com/klauspost/compress v1.18.0
	github.com/zeebo/blake3 v0.2.4
)

require (
	github.com/klauspost/cpuid/v2 v2.3.0 // indirect
	golang.org/x/sys v0.36.0 // indirect
)
