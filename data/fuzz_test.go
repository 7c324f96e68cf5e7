package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must return a dataset or
// an error, never panic, and every problem in a non-empty input must carry a
// position. A dataset it accepts must survive Encode and load again.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/invalid/*.json")
	seeds = append(seeds, "testdata/valid/all-kinds.json")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	if names, err := fs.Glob(embedded, "dataset/*.json"); err == nil && len(names) > 0 {
		b, _ := fs.ReadFile(embedded, names[0])
		f.Add(b)
	}
	f.Add([]byte(`{"sources":[{"id":"a\ud800","title":"\u0000","language":"en","kind":"news-article"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		ds, err := Read(bytes.NewReader(in), "fuzz.json")
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			if len(errs) == 0 {
				t.Fatal("empty Errors returned as an error")
			}
			for _, p := range errs {
				if p.Line < 1 || p.Col < 1 || p.File != "fuzz.json" || p.Msg == "" {
					t.Fatalf("problem without a position or message: %+v", p)
				}
			}
			return
		}
		if !json.Valid(in) {
			t.Fatalf("accepted input encoding/json calls invalid: %q", in)
		}
		var out bytes.Buffer
		if err := Encode(&out, ds); err != nil {
			t.Fatalf("Encode of a loaded dataset: %v", err)
		}
		back, err := Read(bytes.NewReader(out.Bytes()), "again.json")
		if err != nil {
			t.Fatalf("Encode's output does not load:\n%v\n%s", err, out.Bytes())
		}
		var again bytes.Buffer
		if err := Encode(&again, back); err != nil || !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Fatalf("round trip differs")
		}
	})
}
