//go:build race

package e2e

// raceBuild is true when the tests run with -race: the binaries under test
// are then built with -race too, so that the server's data races under real
// traffic fail the tests.
const raceBuild = true
