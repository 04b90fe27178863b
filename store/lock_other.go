//go:build !unix

package store

import "os"

// tryLock always succeeds where flock does not exist: there, one server
// per data directory is the operator's to ensure (docs/operations.md).
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}
