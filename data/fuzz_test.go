package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
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

// FuzzReadString decodes one JSON string token both through the scanner's
// fast path (a large buffer) and its slow path (a 4-byte buffer, so no
// string fits), and checks both against encoding/json: the same bytes when
// the token is valid; a rejection when encoding/json rejects it. The
// scanner also rejects invalid UTF-8, which encoding/json replaces.
func FuzzReadString(f *testing.F) {
	for _, s := range []string{`"plain"`, `"caf\u00e9"`, `"café"`, `"a\\b"`, `"tab\there"`, "\"ctl\x01\"", `"\ud83d\ude00"`,
		"\"\xff\"", `"0123456789abcdef0123456789\\"`, `"ÉÀ 0123456789 0123456789 \"q\""`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, tok []byte) {
		if len(tok) == 0 || tok[0] != '"' {
			return
		}
		var want string
		wantErr := json.Unmarshal(tok, &want) != nil
		for _, size := range []int{4, scanBufSize} {
			s := newScanner(bytes.NewReader(tok), position{line: 1, col: 1}, size)
			if c, ok := s.peek(); !ok || c != '"' {
				t.Fatalf("peek: %q %v", c, ok)
			}
			skip := newScanner(bytes.NewReader(tok), position{line: 1, col: 1}, size)
			// skipString checks what it drops every few bytes: also
			// through the discarding path, it must accept exactly what
			// readString accepts.
			skip.discardAt = 3
			skip.peek()
			skipErr := skip.skipString()
			got, err := s.readString()
			if (err == nil) != (skipErr == nil) || skip.here() != s.here() && err == nil {
				t.Fatalf("buffer %d: %q: readString error %v, skipString error %v (at %v and %v)", size, tok, err, skipErr, s.here(), skip.here())
			}
			if err != nil {
				continue // stricter than encoding/json is allowed (UTF-8)
			}
			if wantErr && s.pos < s.end {
				continue // a valid string followed by more bytes
			}
			if s.pos != s.end || s.fill() {
				continue // the token did not end at the string's end
			}
			if wantErr {
				t.Fatalf("buffer %d: accepted %q, encoding/json rejects it", size, tok)
			}
			if !utf8.Valid(got) || string(got) != want {
				t.Fatalf("buffer %d: %q decoded to %q, encoding/json says %q", size, tok, got, want)
			}
		}
	})
}
