package main

import "runtime/debug"

// version is set at link time: go build -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion is the version dcx reports: the link-time one, else the module
// version go install recorded, else "dev" for a build from a work tree.
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
