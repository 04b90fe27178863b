package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime"
	"runtime/debug"
)

// binaryVersion names this build for the parts of a sharded simulation:
// the commit it was built from, the Go release and the platform (floating
// point may be fused differently on another one). A build from a modified
// or unknown tree adds its executable's own hash, so that two such builds
// never pass for each other.
func binaryVersion() string {
	v := "devel"
	clean := false
	if info, ok := debug.ReadBuildInfo(); ok {
		clean = true
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision":
				v = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				clean = false
			}
		}
		clean = clean && v != "devel"
	}
	v += " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	if !clean {
		v += " exe " + executableHash()
	}
	return v
}

// executableHash is the start of the SHA-256 of the running executable,
// or "unknown".
func executableHash() string {
	path, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
