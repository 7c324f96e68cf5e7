// Package genfile writes the files the repository's generators make
// (research.json, the snapshot and its codec), so that an interrupted run
// never leaves one half-written.
package genfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with b only once b is written in full: it writes a
// temporary file beside path and renames it into place, and removes the
// temporary file when either step fails.
func Write(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
