package data

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/dcx-explorer/dcx/model"
)

func TestEmbeddedLoadsWithoutProblems(t *testing.T) {
	t.Parallel()
	ds, err := Embedded()
	if err != nil {
		t.Fatalf("embedded dataset has problems:\n%v", err)
	}
	if ds.Len() == 0 {
		t.Fatal("embedded dataset is empty")
	}
	again, _ := Embedded()
	if again != ds {
		t.Error("Embedded parsed the dataset twice; it must be shared")
	}
}

// The quotes of sources the project holds a copy of (the seed articles, the
// research notes, in data/documents) must be verbatim substrings of those files.
func TestEmbeddedQuotesAreVerbatim(t *testing.T) {
	t.Parallel()
	ds, err := Options{CheckQuotes: true}.loadFiles(embeddedFiles())
	if err != nil {
		t.Fatalf("quotes:\n%v", err)
	}
	checked := 0
	files := map[string]bool{}
	for i := range ds.Sources {
		if ds.Sources[i].File != "" {
			files[ds.Sources[i].ID] = true
		}
	}
	for _, r := range ds.Records() {
		for _, ev := range model.AllEvidence(r) {
			if files[ev.Source] {
				checked++
			}
		}
	}
	if checked == 0 {
		t.Error("no evidence quotes a source with a file; the check proved nothing")
	}
}

// The last line of seed 000 advertises a press-release service: it is not
// news and must not appear anywhere in the dataset.
func TestAdvertisementAbsent(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile("documents/000_6923abf675a86c52.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(seed)), "\n")
	ad := strings.TrimSpace(lines[len(lines)-1])
	if !strings.Contains(ad, "KEY Difference Wire") {
		t.Fatalf("the seed's last line is no longer the advertisement: %q", ad)
	}
	names, err := fs.Glob(embedded, "dataset/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no embedded files: %v", err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(embedded, n)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(string(b))
		for _, bad := range []string{"key difference wire", strings.ToLower(ad), "copertura mediatica garantita"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains the advertisement (%q)", n, bad)
			}
		}
	}
}

// encodeString encodes ds, failing the test on error.
func encodeString(t testing.TB, ds *model.Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	emb, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	valid, err := Load("testdata/valid/all-kinds.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, ds := range map[string]*model.Dataset{"embedded": emb, "all-kinds": valid} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			first := encodeString(t, ds)
			back, err := Read(bytes.NewReader(first), "encoded.json")
			if err != nil {
				t.Fatalf("Load rejects Encode's output:\n%v", err)
			}
			if back.Len() != ds.Len() {
				t.Errorf("round trip has %d records, want %d", back.Len(), ds.Len())
			}
			second := encodeString(t, back)
			if !bytes.Equal(first, second) {
				t.Errorf("Encode(Load(Encode(ds))) differs from Encode(ds) at byte %d", firstDiff(first, second))
			}
			// Encode must not lose what the files said: the decoded records
			// equal the originals field by field.
			if !reflect.DeepEqual(back.Facilities, ds.Facilities) || !reflect.DeepEqual(back.Investments, ds.Investments) ||
				!reflect.DeepEqual(back.Companies, ds.Companies) || !reflect.DeepEqual(back.Rates, ds.Rates) {
				t.Error("records differ after the round trip")
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestEncodeIsDeterministicAndReadable(t *testing.T) {
	t.Parallel()
	ds, err := Load("testdata/valid/all-kinds.json")
	if err != nil {
		t.Fatal(err)
	}
	a, b := encodeString(t, ds), encodeString(t, ds)
	if !bytes.Equal(a, b) {
		t.Fatal("two encodings of one dataset differ")
	}
	if bytes.Contains(a, []byte(`\u0026`)) || !bytes.Contains(a, []byte("giovedì")) {
		t.Error("Encode escapes text a person should read as is")
	}
	if !bytes.HasPrefix(a, []byte("{\n  \"version\": 1,\n  \"sources\": [\n    {\n      \"id\": \"seed-000\",")) {
		t.Errorf("unexpected layout:\n%s", a[:min(200, len(a))])
	}
}

func TestFolderMergesFilesInNameOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := func(id string) string {
		return `{"sources": [{"id": "` + id + `", "title": "T", "language": "en", "kind": "news-article"}]}`
	}
	// Written in reverse order: the result must not depend on the file
	// system's listing order.
	for _, f := range []struct{ name, id string }{{"c.json", "third"}, {"a.json", "first"}, {"b.json", "second"}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte(src(f.id)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a dataset"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range ds.Sources {
		ids = append(ids, s.ID)
	}
	if want := []string{"first", "second", "third"}; !slices.Equal(ids, want) {
		t.Errorf("sources %v, want %v", ids, want)
	}
	if err := Validate(filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")); err != nil {
		t.Errorf("Validate of two files: %v", err)
	}
}

func TestLoadErrorsThatAreNotProblems(t *testing.T) {
	t.Parallel()
	if _, err := Load("testdata/no-such-file.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want not-exist", err)
	}
	if _, err := Load("testdata/valid-empty-dir-does-not-exist"); err == nil {
		t.Error("missing folder loaded")
	}
	empty := t.TempDir()
	if _, err := Load(empty); err == nil || !strings.Contains(err.Error(), "no .json files") {
		t.Errorf("empty folder: %v", err)
	}
	if err := Validate(); err == nil {
		t.Error("Validate with no path succeeded")
	}
	// A read failure is reported as such, not as a syntax problem.
	_, err := Read(iotest.ErrReader(errors.New("disk on fire")), "broken.json")
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("read error: %v", err)
	}
}

// Problems found after decoding point at the offending value when the input
// can be re-read, and at the start of its record when it cannot.
func TestProblemPositionWithoutSeeking(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/invalid/negative-mw.json")
	if err != nil {
		t.Fatal(err)
	}
	_, seekErr := Read(bytes.NewReader(b), "x.json")
	_, streamErr := Read(iotest.OneByteReader(bytes.NewReader(b)), "x.json")
	want := []string{
		`x.json:14:194: facilities[0].power_mw: value "-40": must not be negative`,
		`x.json:14:5: facilities[0].power_mw: value "-40": must not be negative`,
	}
	for i, err := range []error{seekErr, streamErr} {
		if err == nil || err.Error() != want[i] {
			t.Errorf("got %v, want %s", err, want[i])
		}
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.json", Line: 3, Col: 7, Path: "facilities[3].power_mw", Value: "-5", Msg: "must not be negative"},
			`a.json:3:7: facilities[3].power_mw: value "-5": must not be negative`},
		{Problem{File: "a.json", Line: 1, Col: 1, Msg: "empty file"}, "a.json:1:1: empty file"},
		{Problem{File: "a.json", Line: 2, Path: "x", Msg: "m"}, "a.json:2: x: m"},
		{Problem{File: "a.json", Line: 2, Col: 1, Path: "q", Value: strings.Repeat("é", 100), Msg: "m"},
			`a.json:2:1: q: value "` + strings.Repeat("é", 80) + `…": m`},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	errs := Errors{{File: "b.json", Line: 1, Msg: "x"}, {File: "a.json", Line: 9, Msg: "y"}, {File: "a.json", Line: 2, Msg: "z"}}
	errs.sort()
	if got := errs.Error(); got != "a.json:2: z\na.json:9: y\nb.json:1: x" {
		t.Errorf("sorted errors:\n%s", got)
	}
}

// scanValue decodes one JSON value with the scanner into a string, or the
// syntax error message.
func scanString(in string) (string, error) {
	s := newScanner(iotest.HalfReader(strings.NewReader(in)), position{line: 1, col: 1}, 8)
	if c, ok := s.peek(); !ok || c != '"' {
		return "", errors.New("not a string")
	}
	b, err := s.readString()
	return string(b), err
}

func TestScannerStrings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want, err string }{
		{`"plain"`, "plain", ""},
		{`"a very long string that crosses the tiny buffer more than once"`, "a very long string that crosses the tiny buffer more than once", ""},
		{`"giovedì"`, "giovedì", ""},
		{`"tab\tquote\"slash\/back\\nl\n"`, "tab\tquote\"slash/back\\nl\n", ""},
		{`"\u00e8 \ud83d\ude00"`, "è 😀", ""},
		{`"lone \ud83d x"`, "lone \uFFFD x", ""},
		{`"lone \ude00"`, "lone \uFFFD", ""},
		{`"pair split \ud83d\u0041"`, "pair split \uFFFDA", ""},
		{`"bad \x"`, "", `1:6: invalid escape \x in string`},
		{`"bad \u12G4"`, "", `1:6: invalid \u escape in string`},
		{"\"ctl \x01\"", "", "1:6: control character byte 0x01 in string; escape it"},
		{"\"line\nbreak\"", "", "1:1: string not terminated before the end of the line"},
		{"\"bad \xff utf8\"", "", "1:1: string is not valid UTF-8"},
		{`"open`, "", "1:1: string not terminated"},
	} {
		got, err := scanString(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %s", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestValidNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"0": true, "-0": true, "12": true, "1.5": true, "1e9": true, "-2.5E-3": true, "380e9": true,
		"": false, "-": false, "01": false, "1.": false, ".5": false, "1e": false, "+1": false, "1-2": false, "--1": false, "1e+": false,
	} {
		if got := validNumber([]byte(in)); got != want {
			t.Errorf("validNumber(%q) = %v", in, got)
		}
	}
}

// Positions count lines across buffer refills.
func TestScannerPositions(t *testing.T) {
	t.Parallel()
	in := "{\n  \"a\": 1,\n\n  \"bb\": [true, null]\n}"
	s := newScanner(iotest.OneByteReader(strings.NewReader(in)), position{line: 1, col: 1}, 4)
	s.peek()
	s.pos++
	var got []string
	err := s.eachMember(func(key []byte, at position) error {
		got = append(got, string(key)+"@"+strconv.Itoa(at.line)+":"+strconv.Itoa(at.col))
		return s.skipValue(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a@2:3", "bb@4:3"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// The enumeration lists here must hold exactly the constants model declares,
// so a value added to model cannot be rejected by the loader or the schema.
func TestEnumsMatchModel(t *testing.T) {
	t.Parallel()
	consts := map[string][]string{} // type name → values
	fset := token.NewFileSet()
	files, err := filepath.Glob("../model/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				id, ok := vs.Type.(*ast.Ident)
				if !ok || len(vs.Values) != 1 {
					continue
				}
				if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					consts[id.Name] = append(consts[id.Name], strings.Trim(lit.Value, `"`))
				}
			}
		}
	}
	strs := func(list any) []string {
		v := reflect.ValueOf(list)
		out := make([]string, v.Len())
		for i := range out {
			out[i] = v.Index(i).String()
		}
		return out
	}
	for typ, list := range map[string]any{
		"SourceKind": sourceKinds, "CompanyKind": companyKinds, "PlaceKind": placeKinds,
		"RegionStatus": regionStatuses, "FacilityStatus": facilityStatuses, "MilestoneKind": milestoneKinds,
		"AnnouncementKind": announcementKinds, "RateOrigin": rateOrigins, "Precision": precisions,
	} {
		got, want := strs(list), consts[typ]
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: data knows %v, model declares %v", typ, got, want)
		}
	}
}

// The decoder tracks the members it has seen in a uint64.
func TestModelStructsFitTheDecoder(t *testing.T) {
	t.Parallel()
	var walk func(reflect.Type)
	seen := map[reflect.Type]bool{}
	walk = func(t2 reflect.Type) {
		for t2.Kind() == reflect.Pointer || t2.Kind() == reflect.Slice {
			t2 = t2.Elem()
		}
		if t2.Kind() != reflect.Struct || seen[t2] {
			return
		}
		seen[t2] = true
		si := infoFor(t2)
		if n := len(si.byName); n > 64 {
			t.Errorf("%s has %d fields; the decoder handles 64", t2, n)
		}
		for _, f := range si.fields {
			walk(t2.FieldByIndex(f.index).Type)
		}
	}
	for _, sec := range sections {
		walk(sec.slice(&model.Dataset{}).Type())
	}
	if len(seen) < 15 {
		t.Errorf("walked only %d types", len(seen))
	}
}

func TestCountRecords(t *testing.T) {
	t.Parallel()
	in := `{"$schema": "x", "version": 1, "sources": [{"id": "a", "title": "say \"}{[\" \\"}, {"id": "b"}],` +
		`"facilities": [{"phases": [{"x": 1}, {"y": 2}]}], "rates": []}`
	// A tiny buffer would hide nothing here; the reader splits every byte.
	got, err := countRecords(iotest.OneByteReader(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if want := [8]int{secSources: 2, secFacilities: 1}; got != want {
		t.Errorf("counts %v, want %v", got, want)
	}
}

// Read counts offsets from where the stream stands, so positions are right
// even when something was read from it before.
func TestReadFromTheMiddleOfAStream(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/invalid/negative-mw.json")
	if err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(append([]byte("HEADER\n"), b...))
	r.Seek(7, io.SeekStart)
	_, err = Read(r, "x.json")
	if want := `x.json:14:194: facilities[0].power_mw: value "-40": must not be negative`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// A file written a record a line, with its schema, reads back as the same
// dataset, and each record is one line.
func TestEncodeRecordPerLine(t *testing.T) {
	t.Parallel()
	ds, err := Load("testdata/valid/all-kinds.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := (EncodeOptions{Schema: "../dcx.schema.json", RecordPerLine: true}).Encode(&buf, ds); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// "{", $schema, version, then per section a key line, its records and
	// "]", and the closing "}".
	sections := 0
	for _, l := range lines {
		if strings.HasSuffix(l, ": [") {
			sections++
		}
	}
	if want := ds.Len() - len(ds.Zones) + len(ds.Rates) + 2*sections + 4; len(lines) != want {
		t.Errorf("%d lines, want %d (one a record)", len(lines), want)
	}
	if lines[1] != `  "$schema": "../dcx.schema.json",` {
		t.Errorf("second line %q", lines[1])
	}
	back, err := Read(bytes.NewReader(buf.Bytes()), "lines.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encodeString(t, back), encodeString(t, ds)) {
		t.Error("the record-a-line file does not read back as the same dataset")
	}
}
