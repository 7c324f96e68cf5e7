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

// gen --out replaces a regular file or creates a missing one, and refuses
// anything else, leaving it as it was: before, a symlink, a FIFO or (as
// root) /dev/full was replaced by a regular file.
func TestGenOutRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.json")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for path, what := range map[string]string{link: "a symbolic link", fifo: "a FIFO", folder: "a folder"} {
		before, _ := os.Lstat(path)
		r := dcx(t, "gen", "--records", "10", "--out", path)
		want := path + " is " + what + "; --out only replaces a regular file"
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("gen --out %s: exit %d, stderr %q; want %q", path, r.code, r.stderr, want)
		}
		if after, err := os.Lstat(path); err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s was replaced: %v, %v", path, after.Mode(), err)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the symlink's target was written: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("%d entries in the folder, want the 4 it had", len(entries))
	}
	// A regular file and a missing path are written.
	for _, path := range []string{target, filepath.Join(dir, "new.json")} {
		if r := dcx(t, "gen", "--records", "10", "--out", path); r.code != 0 {
			t.Errorf("gen --out %s: exit %d, stderr %q", path, r.code, r.stderr)
		}
		if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "{") {
			t.Errorf("%s holds %.20q, want a dataset", path, b)
		}
	}
}

// Nothing a dataset's file or name holds reaches the terminal raw: not the
// problem lines, not the summary, not the message of an unreadable path.
func TestValidateEscapesFileText(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d\x1b]8;;x\x07")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"sources":[{"id":"s","title":"t","kind":"news-article","language":"en","\u001b]52;c;aGk=\u0007\u009b2J":1}]}`
	if err := os.WriteFile(filepath.Join(dir, "x\x1b[2J.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", dir},
		{"validate", filepath.Join(dir, "missing\x9b.json")},
		{"export", "--data", dir},
	} {
		r := dcx(t, args...)
		if r.code != 1 {
			t.Errorf("%q: exit %d", args, r.code)
		}
		for _, out := range []string{r.stdout, r.stderr} {
			for _, c := range []byte(out) {
				if (c < 0x20 && c != '\n') || c == 0x7f || c == 0x9b {
					t.Errorf("%q wrote byte 0x%02x: %q", args, c, out)
					break
				}
			}
			if strings.Contains(out, "\u009b") {
				t.Errorf("%q wrote C1 CSI: %q", args, out)
			}
		}
	}
}
