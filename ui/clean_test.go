package ui

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
)

// TestCleanFormatChars checks that the sanitizer drops every format
// character (Cf) and turns line and paragraph separators (Zl, Zp) into a
// space, while the text legitimate data needs is kept.
func TestCleanFormatChars(t *testing.T) {
	cases := []struct{ in, want string }{
		{"abc\u202Etxt.exe", "abctxt.exe"},             // right-to-left override
		{"\u2066Ulsan\u2069 AI", "Ulsan AI"},           // left-to-right isolate and its pop
		{"a\u200Bb\u200Cc\u200Dd\u2060e", "abcde"},     // zero-width space, non-joiner, joiner, word joiner
		{"\uFEFFSK Telecom", "SK Telecom"},             // byte order mark
		{"line\u2028two\u2029three", "line two three"}, // line and paragraph separators
		{"data\u00ADcenter", "datacenter"},             // soft hyphen
		{"flag\U000E0067\U000E0062\U000E007F", "flag"}, // tag characters
		{"\x1b]52;c;aGk=\x07\u009b2J", "]52;c;aGk=2J"}, // escape sequences and C1, as before
		{"bad \xff\xfe byte", "bad \uFFFD\uFFFD byte"}, // not UTF-8
		{"네이버 클라우드", "네이버 클라우드"},
		{"café ❤️ Zürich", "café ❤️ Zürich"}, // U+FE0F is a mark (Mn), kept
		{"مركز بيانات", "مركز بيانات"},
		{"\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F468\U0001F469\U0001F467"},
	}
	for _, tc := range cases {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// The family emoji without its joiners is three emoji, and is measured
	// so: the width every terminal draws.
	if w := ansi.StringWidth(clean("\U0001F468\u200D\U0001F469\u200D\U0001F467")); w != 6 {
		t.Errorf("family emoji after clean measures %d cells, want 6", w)
	}
	// Every character of the three categories, one by one, and nothing
	// else but controls and U+FFFD (the lookup table is built, not typed).
	for r := rune(0); r <= unicode.MaxRune; r++ {
		unsafe := unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Cc) || r == utf8.RuneError
		if got := unsafeRune(r); got != unsafe {
			t.Fatalf("unsafeRune(%U) = %v, want %v", r, got, unsafe)
		}
		if !unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			continue
		}
		want := "ab"
		if unicode.In(r, unicode.Zl, unicode.Zp) {
			want = "a b"
		}
		if got := clean("a" + string(r) + "b"); got != want {
			t.Fatalf("clean(%q) = %q, want %q", "a"+string(r)+"b", got, want)
		}
	}
}

// TestFormatCharsOnScreen shows a record whose name hides a bidi override
// and a zero-width space, and types them into the search line: neither
// reaches the frame.
func TestFormatCharsOnScreen(t *testing.T) {
	ds := smallDataset(t)
	ds.Facilities[0].Name = "Ulsan\u202E\u200B AI campus"
	m := newTestModel(t, ds, Options{Tab: "facilities"})
	resize(m, 120, 30)
	send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/\u2066ulsan\uFEFF")})
	if v := m.browse.line.input.Value(); v != "ulsan" {
		t.Fatalf("search line holds %q, want \"ulsan\"", v)
	}
	frame := checkFrame(t, m, 120, 30)
	if !strings.Contains(frame, "Ulsan AI campus") {
		t.Fatalf("the record's name is not on screen:\n%s", frame)
	}
	for _, r := range frame {
		if unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			t.Fatalf("frame holds %U:\n%s", r, frame)
		}
	}
}

// FuzzClean checks the sanitizer's promises on any input: valid UTF-8 out,
// no control, format or separator character, no line break, and a second
// pass changes nothing.
//
//	go test ./ui -run '^$' -fuzz FuzzClean -fuzztime 1m
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "Ulsan", "abc\u202Etxt.exe", "\u2066x\u2069", "a\u200Bb\u200Dc\u2060\uFEFF",
		"l\u2028p\u2029", "\x1b[2J\x1b]8;;http://x\x07\x9b", "\xff\xfe", "네이버", "\U0001F468\u200D\U0001F469",
		"\U000E0067\U000E007F", "\u00AD\u061C\u180E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := clean(s)
		if !utf8.ValidString(out) {
			t.Fatalf("clean(%q) = %q: not UTF-8", s, out)
		}
		for _, r := range out {
			if r != utf8.RuneError && unsafeRune(r) {
				t.Fatalf("clean(%q) = %q holds %U", s, out, r)
			}
		}
		if again := clean(out); again != out {
			t.Fatalf("clean is not idempotent on %q: %q then %q", s, out, again)
		}
		if utf8.RuneCountInString(out) > utf8.RuneCountInString(s) {
			t.Fatalf("clean(%q) = %q is longer", s, out)
		}
		for _, l := range strings.Split(cleanText(s), "\n") {
			if l != clean(l) {
				t.Fatalf("cleanText(%q) keeps %q", s, l)
			}
		}
	})
}

func TestQuoteTextDropsEmphasis(t *testing.T) {
	if got := quoteText("opened **21 Nov 2016** in **Frankfurt**"); got != "opened 21 Nov 2016 in Frankfurt" {
		t.Errorf("got %q", got)
	}
	// A quote with the markers shows without them in the detail.
	m := embeddedModel(t, Options{})
	for _, r := range m.c.ds.Records() {
		found := false
		model.EachEvidence(r, func(ev *model.Evidence) { found = found || strings.Contains(ev.Quote, "**") })
		if !found {
			continue
		}
		if doc := renderDoc(m.c, r, 100); strings.Contains(doc, "**") {
			t.Fatalf("%s: the detail shows ** from a quote", r.RecordID())
		}
		return
	}
	t.Skip("no quote with ** in the embedded dataset")
}
