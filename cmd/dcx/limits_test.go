package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMaxDataSizeFlag(t *testing.T) {
	dir := filepath.Join("..", "..", "data", "dataset")
	r := dcx(t, "validate", "--max-data-size", "1KB", dir)
	if r.code != 1 || !strings.Contains(r.stdout, "larger than the limit of 1 KiB (--max-data-size)") {
		t.Errorf("validate --max-data-size 1KB: exit %d, stdout %q", r.code, r.stdout)
	}
	r = dcx(t, "export", "--max-data-size", "1KB", "--data", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "larger than the limit of 1 KiB") {
		t.Errorf("export --data with --max-data-size 1KB: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := dcx(t, "validate", "--max-data-size", "0", dir); r.code != 0 {
		t.Errorf("--max-data-size 0 (no limit): exit %d, stdout %q", r.code, r.stdout)
	}
	if r := dcx(t, "validate", "--max-data-size", "12XB", dir); r.code != 2 || !strings.Contains(r.stderr, "want a size such as 256MB") {
		t.Errorf("--max-data-size 12XB: exit %d, stderr %q", r.code, r.stderr)
	}
}

// validateStream runs dcx validate on path, which feed fills from another
// goroutine, and fails instead of hanging when the run does not end; unblock
// is what ends a run stuck opening the stream again.
func validateStream(t *testing.T, path string, feed func(), unblock func()) result {
	t.Helper()
	go feed()
	done := make(chan result, 1)
	go func() { done <- dcx(t, "validate", path) }()
	select {
	case r := <-done:
		return r
	case <-time.After(60 * time.Second):
		unblock()
		<-done
		t.Fatalf("dcx validate %s did not end: the stream was read twice", path)
	}
	return result{}
}

// A FIFO is read once: before, the counting pass read it to its end and the
// decoder then waited forever for a second writer.
func TestValidateFIFO(t *testing.T) {
	body, err := os.ReadFile(genFile(t, 200, 1))
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "data.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	write := func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(body)
		f.Close()
	}
	r := validateStream(t, fifo, write, write)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ok: ") {
		t.Fatalf("validate FIFO: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// A pipe named by /dev/fd (what /dev/stdin is for `cat ok.json | dcx
// validate /dev/stdin`) is read once: before, opening it again found it
// drained and said "empty file".
func TestValidatePipe(t *testing.T) {
	body, err := os.ReadFile(genFile(t, 200, 1))
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	path := fmt.Sprintf("/dev/fd/%d", pr.Fd())
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no /dev/fd: %v", err)
	}
	write := func() {
		pw.Write(body)
		pw.Close()
	}
	r := validateStream(t, path, write, func() {})
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ok: ") {
		t.Fatalf("validate %s: exit %d, stdout %q, stderr %q", path, r.code, r.stdout, r.stderr)
	}
}
