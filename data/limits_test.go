package data

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// genReader streams head, then n copies of rep, then tail, without ever
// holding the whole input: huge inputs stay synthetic.
type genReader struct {
	parts []string
	reps  []int64
	cur   int
	off   int
}

func gen(head, rep string, n int64, tail string) *genReader {
	return &genReader{parts: []string{head, rep, tail}, reps: []int64{1, n, 1}}
}

func (g *genReader) Read(p []byte) (int, error) {
	total := 0
	for total < len(p) {
		for g.cur < len(g.parts) && g.reps[g.cur] == 0 {
			g.cur++
		}
		if g.cur == len(g.parts) {
			if total == 0 {
				return 0, io.EOF
			}
			return total, nil
		}
		part := g.parts[g.cur]
		n := copy(p[total:], part[g.off:])
		total += n
		g.off += n
		if g.off == len(part) {
			g.off = 0
			g.reps[g.cur]--
		}
	}
	return total, nil
}

// zeroSeeker is a seekable stream of size NUL bytes that counts what is read
// from it.
type zeroSeeker struct {
	size, off, read int64
}

func (z *zeroSeeker) Read(p []byte) (int, error) {
	if z.off >= z.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), z.size-z.off))
	clear(p[:n])
	z.off += int64(n)
	z.read += int64(n)
	return n, nil
}

func (z *zeroSeeker) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += z.off
	case io.SeekEnd:
		off += z.size
	}
	z.off = off
	return off, nil
}

func loadErrors(t *testing.T, err error) Errors {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error = %v (%T), want Errors", err, err)
	}
	return errs
}

// A file wrong throughout lists MaxProblems problems and one line counting
// the rest, instead of millions of lines held in memory.
func TestProblemListCapped(t *testing.T) {
	t.Parallel()
	const n = 20000
	r := gen(`{"facilities":[`, `{"id":"a"},`, n-1, `{"id":"a"}]}`)
	_, err := Read(r, "many.json")
	errs := loadErrors(t, err)
	if len(errs) != MaxProblems+1 {
		t.Fatalf("%d problems listed, want %d and a count of the rest", len(errs), MaxProblems+1)
	}
	last := errs[len(errs)-1]
	if last.More == 0 || errs.Count() != MaxProblems+last.More || errs.Count() < 4*n {
		t.Fatalf("last = %+v, Count() = %d; want the rest counted (at least %d problems)", last, errs.Count(), 4*n)
	}
	if s := last.String(); !strings.HasPrefix(s, "many.json:") || !strings.Contains(s, "more problems not listed") {
		t.Errorf("last line = %q", s)
	}
	for _, p := range errs[:MaxProblems] {
		if p.More != 0 {
			t.Fatalf("a listed problem carries a count: %+v", p)
		}
	}
}

func TestLongStringRefused(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", MaxString+1)
	_, err := Read(strings.NewReader(`{"sources":[{"id":"s","title":"`+long+`"}]}`), "long.json")
	errs := loadErrors(t, err)
	want := "long.json:1:31: sources[0].title: string longer than 1 MiB; dcx reads strings of up to 1 MiB"
	if len(errs) != 1 || errs[0].String() != want {
		t.Fatalf("problems:\n%v\nwant:\n%s", errs, want)
	}
}

// A 10 MB key is refused at its position, not matched against every field
// name and printed whole.
func TestLongKeyRefused(t *testing.T) {
	t.Parallel()
	r := gen(`{"sources":[{"`, strings.Repeat("k", 1<<10), 10<<10, `":1}]}`)
	_, err := Read(r, "key.json")
	errs := loadErrors(t, err)
	want := "key.json:1:14: sources[0]: key longer than 256 bytes; dcx reads keys of up to 256 bytes"
	if len(errs) != 1 || errs[0].String() != want {
		t.Fatalf("problems:\n%.500v\nwant:\n%s", errs, want)
	}
}

// The "$schema" value is checked and skipped, never held: a 16 MB one
// allocates far less than its size. Not parallel: it measures the process's
// allocations, which other tests would add to.
func TestSchemaValueNotHeld(t *testing.T) {
	const size = 16 << 20
	for _, name := range []string{"stream", "seekable"} {
		t.Run(name, func(t *testing.T) {
			var r io.Reader = gen(`{"$schema":"`, strings.Repeat("s", 1<<10), size>>10, `","version":1}`)
			if name == "seekable" {
				// A file, so that the counting pass runs over it too.
				path := filepath.Join(t.TempDir(), "schema.json")
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.Copy(f, r); err != nil {
					t.Fatal(err)
				}
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				r = f
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Read(r, "schema.json")
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
				t.Errorf("loading allocated %d bytes for a %d-byte $schema value", alloc, size)
			}
		})
	}
}

// A file that cannot be JSON from its first byte is refused after reading
// its start, not counted to its end first.
func TestNonJSONStopsAtFirstByte(t *testing.T) {
	t.Parallel()
	z := &zeroSeeker{size: 1 << 30}
	_, err := Options{MaxSize: -1}.Read(z, "zeros.json")
	errs := loadErrors(t, err)
	if len(errs) != 1 || errs[0].Line != 1 || errs[0].Col != 1 || !strings.Contains(errs[0].Msg, "byte 0x00") {
		t.Fatalf("problems: %v", errs)
	}
	if z.read > 1<<20 {
		t.Errorf("read %d bytes of a file that fails at its first", z.read)
	}
}

// A file over MaxSize is refused from its size, before it is read; a
// stream once it has given more.
func TestMaxSize(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sparse.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(path, DefaultMaxSize+1); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	if err == nil || errors.As(err, new(Errors)) || !strings.Contains(err.Error(), "larger than the limit of 256 MiB") {
		t.Fatalf("Load(%d-byte file) = %v, want the size limit", DefaultMaxSize+1, err)
	}
	_, err = Options{MaxSize: 1 << 20}.Read(gen(`{"$schema":"`, strings.Repeat("s", 1<<10), 2<<10, `"}`), "big.json")
	errs := loadErrors(t, err)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "larger than the limit of 1 MiB") {
		t.Fatalf("problems: %v", errs)
	}
}

// terminalSafe reports the first rune of s a terminal would act on or hide
// instead of showing: control characters (C0, DEL, C1) and format
// characters (bidi controls).
func terminalSafe(s string) (rune, bool) {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return r, false
		}
	}
	return 0, true
}

// Keys and file names come from files too: a key holding an OSC 52
// (clipboard), a CSI 2J (clear screen), C1 CSI (0x9b) or a bidi override
// is escaped in the problem's line, not written raw.
func TestProblemsEscapeFileText(t *testing.T) {
	t.Parallel()
	in := `{"sources":[{"id":"s","title":"t","kind":"news-article","language":"en",` +
		`"\u001b]52;c;aGk=\u0007\u009b2J\u202e":1}],"\u001b[2J":1}`
	_, err := Read(strings.NewReader(in), "x\x1b[31m\xff.json")
	errs := loadErrors(t, err)
	want := []string{
		`x\x1b[31m\xff.json:1:73: sources[0]["\x1b]52;c;aGk=\a\u009b2J\u202e"]: unknown field`,
		`x\x1b[31m\xff.json:1:116: ["\x1b[2J"]: unknown top-level key; want "$schema", "version", "sources", "companies", "places", "regions", "facilities", "investments", "announcements", "rates"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("problems:\n%v", errs)
	}
	for i, p := range errs {
		s := p.String()
		if r, ok := terminalSafe(s); !ok {
			t.Errorf("problem line holds %U: %q", r, s)
		}
		if s != want[i] {
			t.Errorf("problem:\n%s\nwant:\n%s", s, want[i])
		}
	}
	if got := Escape("a\u2028b\x7f\u200bc"); got != `a\u2028b\x7f\u200bc` {
		t.Errorf("Escape = %q", got)
	}
}

// The syntax error that ends a file is listed even after MaxProblems
// others: it says why the rest of the file was not read.
func TestProblemCapKeepsSyntaxError(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"sources":[{`)
	for i := range MaxProblems + 500 {
		fmt.Fprintf(&b, `"x%d":1,`, i)
	}
	b.WriteString(`"title" 1}]}`)
	_, err := Read(strings.NewReader(b.String()), "cut.json")
	errs := loadErrors(t, err)
	if errs.Count() != MaxProblems+501 {
		t.Errorf("Count() = %d, want %d", errs.Count(), MaxProblems+501)
	}
	var syntax bool
	for _, p := range errs {
		syntax = syntax || strings.Contains(p.Msg, "want ':' after the key")
	}
	if !syntax || errs[len(errs)-1].More != 500 {
		t.Errorf("the syntax error is not listed, or the rest is miscounted: %v", errs[len(errs)-3:])
	}
}
