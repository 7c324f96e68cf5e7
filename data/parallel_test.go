package data

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
)

// withTuning is o loading with tune instead of defaultTuning.
func (o Options) withTuning(tune tuning) Options {
	o.tune = &tune
	return o
}

// splitTuning lowers the split thresholds so that a small file (quick under
// -race), such as synthFile's, takes the two-decoder and two-counter paths.
func splitTuning() tuning {
	tune := defaultTuning()
	tune.minParallel, tune.checkpointEvery, tune.minSplitCount = 500, 32, 1<<10
	return tune
}

// splitOpts are the Options of a load with splitTuning.
func splitOpts() Options { return Options{}.withTuning(splitTuning()) }

// synthFile writes a synthetic dataset large enough to be decoded in two
// parts under splitTuning, and returns its path and bytes.
func synthFile(t *testing.T) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := synth.Write(&buf, 3000, 7); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, buf.Bytes()), buf.Bytes()
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tryParallel runs the two-decoder path on path as loadFiles would and
// reports whether it was used.
func tryParallel(t *testing.T, path string) (*loader, bool) {
	t.Helper()
	f := dataFile{name: path, open: func() (io.ReadCloser, error) { return os.Open(path) }}
	rc, err := f.open()
	if err != nil {
		t.Fatal(err)
	}
	lay, err := countFile(rc.(*os.File), nil, splitTuning())
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	l := &loader{tune: splitTuning(), files: []dataFile{f}, ds: &model.Dataset{}}
	l.allocate(lay.counts)
	return l, l.decodeParallel(f, lay)
}

// indexFrom is where s first occurs in b at or after from.
func indexFrom(t *testing.T, b []byte, from int, s string) int {
	t.Helper()
	i := bytes.Index(b[from:], []byte(s))
	if i < 0 {
		t.Fatalf("%s not found after byte %d", s, from)
	}
	return from + i
}

func sectionsOf(ds *model.Dataset) []any {
	return []any{ds.Sources, ds.Companies, ds.Places, ds.Regions, ds.Facilities, ds.Investments, ds.Announcements, ds.Rates}
}

// Two decoders over the halves of a file give the dataset, and the record
// locations, that one decoder gives.
func TestParallelDecodeMatchesSequential(t *testing.T) {
	t.Parallel()
	path, b := synthFile(t)
	l, ok := tryParallel(t, path)
	if !ok {
		t.Fatal("a valid synthetic file was not decoded in parallel")
	}
	seq := &loader{files: l.files, ds: &model.Dataset{}}
	d := &decoder{s: newScanner(bytes.NewReader(b), position{line: 1, col: 1}, scanBufSize), file: path, intern: map[string]*internTable{}}
	if !d.decodeFile(seq.ds, &seq.locs, 0) || len(d.probs) > 0 {
		t.Fatalf("sequential decode failed: %v", d.probs)
	}
	par, want := sectionsOf(l.ds), sectionsOf(seq.ds)
	for k := range par {
		if !reflect.DeepEqual(par[k], want[k]) {
			t.Errorf("section %s differs between parallel and sequential decoding", sections[k].key)
		}
	}
	if !reflect.DeepEqual(l.locs, seq.locs) {
		t.Error("record locations differ between parallel and sequential decoding")
	}
	if _, err := splitOpts().Load(path); err != nil {
		t.Fatal(err)
	}
}

// Problems found after decoding (here a reference to no record, in the
// half the second decoder reads) are positioned from the records'
// locations, which must be those of a sequential decode.
func TestParallelDecodeLocatesLaterProblems(t *testing.T) {
	t.Parallel()
	_, b := synthFile(t)
	c := bytes.Clone(b)
	for _, from := range []int{len(c) / 8, len(c) * 3 / 4} {
		k := indexFrom(t, c, from, `"source":"`) + len(`"source":"`)
		c[k] = 'Q' // an id is lower-case: no record has it
	}
	path := writeTemp(t, c)
	if _, ok := tryParallel(t, path); !ok {
		t.Fatal("a file whose only problems are references was not decoded in parallel")
	}
	_, got := splitOpts().Load(path)
	_, want := Read(bytes.NewReader(c), path)
	if got == nil || !strings.Contains(got.Error(), "no record has this id") {
		t.Fatalf("want a dangling reference, got %v", got)
	}
	if got.Error() != want.Error() {
		t.Errorf("Load and a sequential Read disagree:\n%s\n---\n%s", got, want)
	}
}

// A file with problems is decoded again by one decoder: Load reports exactly
// what a sequential read of the same bytes reports.
func TestParallelDecodeFallsBackOnProblems(t *testing.T) {
	t.Parallel()
	_, b := synthFile(t)
	half := len(b) / 2
	cases := map[string][]byte{
		// an unknown field in each half, and a bad reference found later
		"problems": func() []byte {
			c := bytes.Clone(b)
			i := indexFrom(t, c, 0, `"name":`)
			j := indexFrom(t, c, half, `"kind":`)
			copy(c[i:], `"Name":`)
			copy(c[j:], `"kinD":`)
			k := indexFrom(t, c, half, `"source":"`) + len(`"source":"`)
			c[k] = '#'
			return c
		}(),
		// a syntax error in the second half
		"syntax": func() []byte {
			c := bytes.Clone(b)
			j := indexFrom(t, c, half, `"id":`)
			c[j+4] = ';'
			return c
		}(),
		"truncated": b[:half+len(b)/4],
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := writeTemp(t, c)
			if _, ok := tryParallel(t, path); ok {
				t.Fatal("a file with problems was accepted by the parallel decode")
			}
			_, got := splitOpts().Load(path)
			_, want := Read(bytes.NewReader(c), path)
			if got == nil || want == nil {
				t.Fatalf("want errors, got %v and %v", got, want)
			}
			if got.Error() != want.Error() {
				t.Errorf("Load and a sequential Read disagree:\n%s\n---\n%s", got, want)
			}
			if !strings.Contains(got.Error(), path) {
				t.Errorf("errors do not name the file: %s", got)
			}
		})
	}
}

// Counting the two halves of a file at once gives the counts and section
// bounds of one pass, and checkpoints that are real record starts, both
// when the second half starts between records (one record per line) and
// when it does not (an indented file, where the first counter goes on).
func TestCountFileMatchesOnePass(t *testing.T) {
	t.Parallel()
	_, b := synthFile(t)
	ds, err := Read(bytes.NewReader(b), "synth.json")
	if err != nil {
		t.Fatal(err)
	}
	var indented bytes.Buffer
	if err := Encode(&indented, ds); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][]byte{"synth": b, "encoded": indented.Bytes()} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(writeTemp(t, c))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tune := splitTuning()
			got, err := countFile(f, nil, tune)
			if err != nil {
				t.Fatal(err)
			}
			want, err := countLayout(bytes.NewReader(c), tune.checkpointEvery)
			if err != nil {
				t.Fatal(err)
			}
			if got.counts != want.counts || got.first != want.first || got.lastEnd != want.lastEnd ||
				!slices.Equal(got.order, want.order) || got.dup != want.dup {
				t.Fatalf("split count %+v\none pass %+v", got, want)
			}
			if len(got.checkpoints) == 0 {
				t.Fatal("no checkpoints")
			}
			if name == "synth" && !slices.ContainsFunc(got.checkpoints, func(cp checkpoint) bool { return cp.index%tune.checkpointEvery != 0 }) {
				t.Error("the second half was not counted on its own")
			}
			// Each checkpoint is where a record starts (a line and column the
			// scanner agrees with) just after the previous record's end.
			cps := slices.Clone(got.checkpoints)
			slices.SortFunc(cps, func(a, b checkpoint) int { return int(a.start.off - b.start.off) })
			s := newScanner(bytes.NewReader(c), position{line: 1, col: 1}, 1<<10)
			for _, cp := range cps {
				if c[cp.start.off] != '{' || c[cp.prevEnd.off-1] != '}' || cp.prevEnd.off > cp.start.off {
					t.Fatalf("checkpoint %+v is not between records", cp)
				}
				for s.base+int64(s.pos) < cp.start.off {
					s.fill()
					if s.buf[s.pos] == '\n' {
						s.line++
						s.lineStart = s.base + int64(s.pos) + 1
					}
					s.pos++
				}
				if here := s.here(); here != cp.start {
					t.Fatalf("checkpoint at %+v, scanner at %+v", cp.start, here)
				}
			}
		})
	}
}
