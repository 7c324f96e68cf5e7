package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

type result struct {
	code           int
	stdout, stderr string
}

func dcx(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// genFile writes a synthetic dataset with dcx gen and returns its path.
func genFile(t *testing.T, n int, seed int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "synth.json")
	if r := dcx(t, "gen", "--records", strconv.Itoa(n), "--seed", strconv.Itoa(seed), "--out", path); r.code != 0 {
		t.Fatalf("gen: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	return path
}

func TestExitCodes(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.json")
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings stdout must hold
		stderr     []string // substrings stderr must hold
		emptyStout bool
		noisy      bool // writes debug lines on stderr even when it succeeds
	}{
		{name: "version", args: []string{"--version"}, stdout: []string{"dcx " + buildVersion() + "\n"}},
		{name: "help", args: []string{"--help"}, stdout: []string{"Usage:", "export", "validate", "gen", "--data", "--tab", "--query", "--open", "--currency"}},
		{name: "help export", args: []string{"export", "--help"}, stdout: []string{"dcx export [QUERY...]", "--format", "--kind", "--currency", "--data"}},
		{name: "help validate", args: []string{"validate", "--help"}, stdout: []string{"dcx validate [PATH...]"}},
		{name: "help gen", args: []string{"gen", "--help"}, stdout: []string{"--records", "--seed", "--out"}},
		{name: "help serve", args: []string{"serve", "--help"}, stdout: []string{"--listen", "--data", "--handshake-timeout", "--proxy-protocol", "--proxy-from", "--metrics"}},
		{name: "serve proxy protocol without balancers", args: []string{"serve", "--proxy-protocol"}, code: 2, stderr: []string{"--proxy-protocol and --proxy-from go together"}, emptyStout: true},
		{name: "serve balancers without proxy protocol", args: []string{"serve", "--proxy-from", "10.0.0.0/8"}, code: 2, stderr: []string{"--proxy-protocol and --proxy-from go together"}, emptyStout: true},
		{name: "serve bad balancer", args: []string{"serve", "--proxy-protocol", "--proxy-from", "10.0.0.0/8,lb.example"}, code: 2, stderr: []string{`--proxy-from: "lb.example" is neither an address nor a CIDR prefix`}, emptyStout: true},
		{name: "serve bad metrics address", args: []string{"serve", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(filepath.Dir(missing), "host_key"), "--metrics", "127.0.0.1:notaport"}, code: 1, stderr: []string{"metrics", "127.0.0.1:notaport"}, emptyStout: true},
		{name: "serve zero handshake timeout", args: []string{"serve", "--handshake-timeout", "0s"}, code: 2, stderr: []string{"--handshake-timeout must be positive"}, emptyStout: true},
		{name: "help completion", args: []string{"completion", "--help"}, stdout: []string{"bash", "zsh", "fish"}},
		{name: "help command", args: []string{"help", "gen"}, stdout: []string{"--records"}},
		{name: "completion", args: []string{"completion", "bash"}, stdout: []string{"__start_dcx"}},
		{name: "completion of --kind", args: []string{"__complete", "export", "--kind", ""}, stdout: []string{"facility\n", "region\n"}, noisy: true},

		{name: "unknown flag", args: []string{"--nope"}, code: 2, stderr: []string{"unknown flag: --nope", "Run 'dcx --help' for usage."}, emptyStout: true},
		{name: "unknown command", args: []string{"nope"}, code: 2, stderr: []string{`unknown command "nope"`, "Run 'dcx --help'"}, emptyStout: true},
		{name: "export unknown flag", args: []string{"export", "--nope"}, code: 2, stderr: []string{"unknown flag: --nope", "Run 'dcx export --help' for usage."}, emptyStout: true},
		{name: "export bad format", args: []string{"export", "--format", "xml"}, code: 2, stderr: []string{`--format "xml"`, "json, csv, md", "Run 'dcx export --help'"}, emptyStout: true},
		{name: "export bad kind", args: []string{"export", "--kind", "castle"}, code: 2, stderr: []string{`--kind "castle"`, "facility"}, emptyStout: true},
		{name: "export bad currency", args: []string{"export", "--format", "csv", "--currency", "XYZ"}, code: 2, stderr: []string{`--currency "XYZ"`, "USD, EUR, CNY, ", "KRW"}, emptyStout: true},
		// NZD is a currency dcx knows, but no rate of the dataset reaches it.
		{name: "export unreachable currency", args: []string{"export", "--format", "csv", "--currency", "NZD"}, code: 2, stderr: []string{`--currency "NZD"`, "rates reach", "KRW"}, emptyStout: true},
		{name: "export currency the rates reach", args: []string{"export", "--format", "csv", "--currency", "krw", "kind:investment", "ulsan"}, stdout: []string{",krw,"}},
		{name: "completion of export --currency", args: []string{"__complete", "export", "--currency", ""}, stdout: []string{"EUR\n", "KRW\n"}, noisy: true},
		{name: "export currency with json", args: []string{"export", "--currency", "EUR"}, code: 2, stderr: []string{"--currency applies to csv and md"}, emptyStout: true},
		{name: "export bad query", args: []string{"export", "mw>=abc"}, code: 2, stderr: []string{"  mw>=abc\n      ^\n", "invalid query", "Run 'dcx export --help'"}, emptyStout: true},
		{name: "export missing data", args: []string{"--data", missing, "export"}, code: 1, stderr: []string{missing}, emptyStout: true},
		{name: "validate without path", args: []string{"validate"}, stdout: []string{"ok: the embedded dataset is a valid dataset: ", " records ("}},
		{name: "validate missing file", args: []string{"validate", missing}, code: 1, stdout: []string{missing}},
		{name: "gen without records", args: []string{"gen"}, code: 2, stderr: []string{`required flag(s) "records" not set`, "Run 'dcx gen --help'"}, emptyStout: true},
		{name: "gen zero records", args: []string{"gen", "--records", "0"}, code: 2, stderr: []string{"--records 0"}, emptyStout: true},
		{name: "gen records not a number", args: []string{"gen", "--records", "many"}, code: 2, stderr: []string{`invalid argument "many"`}, emptyStout: true},
		{name: "gen extra argument", args: []string{"gen", "--records", "5", "extra"}, code: 2, stderr: []string{`unknown command "extra"`}, emptyStout: true},
		{name: "gen with --data", args: []string{"--data", missing, "gen", "--records", "5"}, code: 2, stderr: []string{"drop --data"}, emptyStout: true},
		{name: "gen into missing folder", args: []string{"gen", "--records", "5", "--out", filepath.Join(missing, "x.json")}, code: 1, emptyStout: true},
		{name: "app without a terminal", args: nil, code: 2, stderr: []string{"needs a terminal", "dcx export"}, emptyStout: true},
		{name: "app unknown tab", args: []string{"--tab", "castles"}, code: 2, stderr: []string{"castles"}, emptyStout: true},
		{name: "app unknown record", args: []string{"--open", "no-such-record"}, code: 2, stderr: []string{`--open "no-such-record": no record has this id`}, emptyStout: true},
		{name: "app mistyped record", args: []string{"--open", "skt-aws-ulsan-ai-cd"}, code: 2, stderr: []string{`no record has this id (did you mean "skt-aws-ulsan-ai-dc"`}, emptyStout: true},
		{name: "app partial record", args: []string{"--open", "SKT-AWS-ULSAN"}, code: 2, stderr: []string{`(did you mean "skt-aws-ulsan-`, `" or "`}, emptyStout: true},
		{name: "app bad query", args: []string{"--query", "mw>=abc"}, code: 2, stderr: []string{`--query "mw>=abc"`}, emptyStout: true},
		{name: "app bad currency", args: []string{"--currency", "XYZ"}, code: 2, stderr: []string{`--currency "XYZ"`, "original", "USD, EUR, CNY, ", "KRW"}, emptyStout: true},
		{name: "app on missing data", args: []string{"--data", missing}, code: 1, stderr: []string{missing}, emptyStout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dcx(t, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if tt.emptyStout && r.stdout != "" {
				t.Errorf("stdout should be empty, got:\n%s", r.stdout)
			}
			if tt.code == 0 && !tt.noisy && r.stderr != "" {
				t.Errorf("stderr should be empty on success, got:\n%s", r.stderr)
			}
		})
	}
}

func TestVersionFromLinker(t *testing.T) {
	old := version
	t.Cleanup(func() { version = old })
	version = "v9.8.7"
	if r := dcx(t, "--version"); r.code != 0 || r.stdout != "dcx v9.8.7\n" {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestValidateInvalidFixture(t *testing.T) {
	path := filepath.Join("testdata", "invalid.json")
	err := data.Validate(path)
	var problems data.Errors
	if !errors.As(err, &problems) {
		t.Fatalf("data.Validate(%s) = %v, want data.Errors", path, err)
	}
	if len(problems) < 2 {
		t.Fatalf("fixture should hold several problems, data.Validate found %d", len(problems))
	}
	r := dcx(t, "validate", path)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(problems) {
		t.Fatalf("stdout has %d lines, want one per problem (%d):\n%s", len(lines), len(problems), r.stdout)
	}
	for i, p := range problems {
		if lines[i] != p.String() {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], p.String())
		}
		if !strings.HasPrefix(lines[i], path+":") {
			t.Errorf("line %d does not start with the file name: %q", i+1, lines[i])
		}
	}
	if want := model.Plural(len(problems), "problem"); !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks the summary %q:\n%s", want, r.stderr)
	}

	// The same problems stop every command that loads the file.
	r = dcx(t, "--data", path, "export")
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("export on invalid data: exit %d, stdout %q", r.code, r.stdout)
	}
	for _, p := range problems {
		if !strings.Contains(r.stderr, p.String()) {
			t.Errorf("export's stderr lacks problem %q", p.String())
		}
	}
}

// TestExportJSONRoundTrip checks that a json export is a dataset on its own:
// validate accepts it, --data loads it, and exporting it again gives the same
// bytes, for the whole dataset and for selections.
func TestExportJSONRoundTrip(t *testing.T) {
	synth := genFile(t, 400, 3)
	synthDS, err := data.Load(synth)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ds   *model.Dataset
		data []string // --data flag, if any
		args []string
	}{
		{name: "embedded whole", ds: embedded},
		{name: "embedded facilities", ds: embedded, args: []string{"--kind", "facility"}},
		{name: "embedded query", ds: embedded, args: []string{firstWord(t, embedded, model.KindFacility)}},
		{name: "synth whole", ds: synthDS, data: []string{"--data", synth}},
		{name: "synth query", ds: synthDS, data: []string{"--data", synth}, args: []string{firstWord(t, synthDS, model.KindFacility)}},
		{name: "synth announcements", ds: synthDS, data: []string{"--data", synth}, args: []string{"--kind", "announcements"}},
		{name: "synth zones", ds: synthDS, data: []string{"--data", synth}, args: []string{"--kind", "zone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := dcx(t, append(append(append([]string{}, tt.data...), "export"), tt.args...)...)
			if first.code != 0 {
				t.Fatalf("export: exit %d\n%s", first.code, first.stderr)
			}
			path := filepath.Join(t.TempDir(), "export.json")
			if err := os.WriteFile(path, []byte(first.stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := dcx(t, "validate", path); r.code != 0 {
				t.Fatalf("validate rejects the export: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			again := dcx(t, "--data", path, "export")
			if again.code != 0 {
				t.Fatalf("re-export: exit %d\n%s", again.code, again.stderr)
			}
			if again.stdout != first.stdout {
				t.Fatalf("re-export differs from the export (%d vs %d bytes)", len(again.stdout), len(first.stdout))
			}

			// The export answers the same selection with the same rows,
			// converted amounts included: the references and the rate table
			// came along.
			csvArgs := append([]string{"export", "--format", "csv"}, tt.args...)
			orig := dcx(t, append(append([]string{}, tt.data...), csvArgs...)...)
			sub := dcx(t, append([]string{"--data", path}, csvArgs...)...)
			if orig.code != 0 || sub.code != 0 || orig.stdout != sub.stdout {
				t.Fatalf("csv of the selection differs on the export (exit %d, %d):\n%s\n---\n%s", orig.code, sub.code, orig.stdout, sub.stdout)
			}

			// Every selected record is in the export, and the export holds
			// nothing the original lacks.
			loaded, err := data.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want := selected(t, tt.ds, tt.args)
			if len(want) == 0 {
				t.Fatalf("the selection %v is empty: the test proves nothing", tt.args)
			}
			for _, r := range want {
				if _, ok := loaded.Get(r.RecordID()); !ok {
					t.Errorf("selected record %s missing from the export", r.RecordID())
				}
			}
			for _, r := range loaded.Records() {
				if _, ok := tt.ds.Get(r.RecordID()); !ok {
					t.Errorf("export holds %s, which the original does not", r.RecordID())
				}
			}
			if len(tt.args) > 0 && loaded.Len() >= tt.ds.Len() {
				t.Errorf("a selection exported %d of %d records: nothing was left out", loaded.Len(), tt.ds.Len())
			}
		})
	}
}

// selected computes, through the model, what export's arguments select.
func selected(t *testing.T, ds *model.Dataset, args []string) []model.Record {
	t.Helper()
	var kinds []string
	var query []string
	for i := 0; i < len(args); i++ {
		if args[i] == "--kind" {
			kinds = append(kinds, args[i+1])
			i++
			continue
		}
		query = append(query, args[i])
	}
	k, err := parseKinds(kinds)
	if err != nil {
		t.Fatal(err)
	}
	recs, _, err := selectRecords(ds, strings.Join(query, " "), k)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// firstWord is a search term that selects at least one record of kind k: the
// first word of the first such record's title.
func firstWord(t *testing.T, ds *model.Dataset, k model.Kind) string {
	t.Helper()
	for _, r := range ds.ByKind(k) {
		if f := strings.Fields(r.RecordTitle()); len(f) > 0 {
			return strings.ToLower(f[0])
		}
	}
	t.Fatalf("no %s with a title in the dataset", k)
	return ""
}

func TestExportCSV(t *testing.T) {
	synth := genFile(t, 600, 5)
	ds, err := data.Load(synth)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{nil, {"--kind", "facility,investment"}, {firstWord(t, ds, model.KindInvestment)}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := dcx(t, append([]string{"--data", synth, "export", "--format", "csv"}, args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
			if err != nil {
				t.Fatalf("not RFC 4180 csv: %v", err)
			}
			header := []string{"id", "kind", "title", "date", "date_precision", "date_inferred", "companies", "country", "mw", "gpus",
				"amount", "amount_qualifier", "amount_from", "currency", "usd", "status", "sources"}
			if !slices.Equal(rows[0], header) {
				t.Fatalf("header %v, want %v", rows[0], header)
			}
			col := csvColumns(rows[0])
			want := selected(t, ds, args)
			if len(rows)-1 != len(want) {
				t.Fatalf("%d rows, want %d", len(rows)-1, len(want))
			}
			for i, rec := range want {
				row := rows[i+1]
				if row[0] != rec.RecordID() || row[1] != string(rec.RecordKind()) || row[2] != rec.RecordTitle() {
					t.Fatalf("row %d = %v, want %s %s %q", i+1, row[:3], rec.RecordID(), rec.RecordKind(), rec.RecordTitle())
				}
				if srcs := strings.Join(model.EvidenceSources(rec), ";"); col(row, "sources") != srcs {
					t.Errorf("%s: sources %q, want %q", rec.RecordID(), col(row, "sources"), srcs)
				}
				checkCSVRow(t, ds, rec, row, col)
			}
		})
	}
}

// csvColumns returns a lookup of a row's cell by the header's column name.
// exportCSV runs dcx with args, which must succeed, and parses its CSV.
func exportCSV(t *testing.T, args ...string) [][]string {
	t.Helper()
	r := dcx(t, args...)
	if r.code != 0 {
		t.Fatalf("dcx %v: exit %d\n%s", args, r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func csvColumns(header []string) func(row []string, name string) string {
	at := map[string]int{}
	for i, h := range header {
		at[h] = i
	}
	return func(row []string, name string) string {
		i, ok := at[name]
		if !ok {
			panic("no csv column " + name)
		}
		return row[i]
	}
}

func checkCSVRow(t *testing.T, ds *model.Dataset, rec model.Record, row []string, col func([]string, string) string) {
	t.Helper()
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %q is not a number", rec.RecordID(), s)
		}
		return v
	}
	switch rec := rec.(type) {
	case *model.Facility:
		if rec.PowerMW != nil && num(col(row, "mw")) != *rec.PowerMW {
			t.Errorf("%s: mw %s, want %v", rec.ID, col(row, "mw"), *rec.PowerMW)
		}
		if rec.GPUs != nil && col(row, "gpus") != strconv.Itoa(*rec.GPUs) {
			t.Errorf("%s: gpus %s, want %d", rec.ID, col(row, "gpus"), *rec.GPUs)
		}
		if col(row, "status") != string(rec.Status) {
			t.Errorf("%s: status %s, want %s", rec.ID, col(row, "status"), rec.Status)
		}
	case *model.Investment:
		if col(row, "companies") != rec.Investor {
			t.Errorf("%s: companies %q, want the investor %q", rec.ID, col(row, "companies"), rec.Investor)
		}
	}
	// Every kind's amount is model.AmountOf's, converted at its date.
	a, ok := ds.AmountOf(rec)
	if !ok {
		for _, c := range []string{"amount", "amount_qualifier", "amount_from", "currency", "usd"} {
			if col(row, c) != "" {
				t.Errorf("%s: %s %q, but the record has no amount", rec.RecordID(), c, col(row, c))
			}
		}
		return
	}
	if num(col(row, "amount")) != a.Money.Amount || col(row, "currency") != a.Money.Currency ||
		col(row, "amount_qualifier") != a.Money.Qualifier || col(row, "amount_from") != a.From {
		t.Errorf("%s: amount %q %q %q from %q, want %+v", rec.RecordID(), col(row, "amount_qualifier"), col(row, "amount"),
			col(row, "currency"), col(row, "amount_from"), a)
	}
	conv, err := ds.Convert(a.Money, "USD", a.At)
	if err != nil || a.At.IsZero() && a.Money.Currency != "USD" {
		if col(row, "usd") != "" {
			t.Errorf("%s: usd %s but the model cannot convert: %v", rec.RecordID(), col(row, "usd"), err)
		}
		return
	}
	if got := num(col(row, "usd")); got < conv.To.Amount-0.01 || got > conv.To.Amount+0.01 {
		t.Errorf("%s: usd %s, want %.2f", rec.RecordID(), col(row, "usd"), conv.To.Amount)
	}
}

func TestExportCSVCurrency(t *testing.T) {
	rows := exportCSV(t, "export", "--format", "csv", "--currency", "eur", "--kind", "investment")
	col := csvColumns(rows[0])
	if !slices.Contains(rows[0], "eur") || slices.Contains(rows[0], "usd") {
		t.Fatalf("header %v, want the converted column named eur", rows[0])
	}
	qualified := 0
	for _, row := range rows[1:] {
		if col(row, "currency") == "EUR" && col(row, "eur") != col(row, "amount") {
			t.Errorf("%s: an amount in EUR converts to itself, got %s for %s", row[0], col(row, "eur"), col(row, "amount"))
		}
		if col(row, "amount_qualifier") != "" {
			qualified++
		}
	}
	// The sources' hedges ("more than", "up to") survive the export.
	if qualified == 0 {
		t.Error("no investment exported with an amount_qualifier")
	}
}

func TestExportNothingMatches(t *testing.T) {
	for _, format := range exportFormats {
		r := dcx(t, "export", "--format", format, "zzz-matches-nothing-zzz")
		if r.code != 0 || r.stderr != "dcx: no records match\n" {
			t.Errorf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		if format == "json" {
			ds, err := data.Read(strings.NewReader(r.stdout), "export.json")
			if err != nil || ds.Len() != 0 {
				t.Errorf("json: an empty selection should be a valid empty dataset: %v", err)
			}
		}
	}
}

func TestExportMarkdown(t *testing.T) {
	synth := genFile(t, 300, 9)
	ds, err := data.Load(synth)
	if err != nil {
		t.Fatal(err)
	}
	r := dcx(t, "--data", synth, "export", "--format", "md")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// Split into one block per kind and check each is a well-formed table
	// with a row per record of that kind.
	blocks := strings.Split(r.stdout, "\n## ")
	blocks[0] = strings.TrimPrefix(blocks[0], "## ")
	var kinds []model.Kind
	for _, k := range model.Kinds() {
		if len(ds.ByKind(k)) > 0 {
			kinds = append(kinds, k)
		}
	}
	if len(blocks) != len(kinds) {
		t.Fatalf("%d tables, want one per kind present (%d)", len(blocks), len(kinds))
	}
	for i, k := range kinds {
		lines := strings.Split(strings.TrimSpace(blocks[i]), "\n")
		wantTitle := kindPlural(k) + " (" + strconv.Itoa(len(ds.ByKind(k))) + ")"
		if lines[0] != wantTitle {
			t.Errorf("table %d titled %q, want %q", i, lines[0], wantTitle)
		}
		table := lines[2:]
		if len(table) != 2+len(ds.ByKind(k)) {
			t.Errorf("%s: %d table lines, want header, separator and %d rows", k, len(table), len(ds.ByKind(k)))
		}
		cols := mdCells(table[0])
		for j, line := range table {
			if n := mdCells(line); n != cols {
				t.Errorf("%s line %d has %d cells, the header %d: %q", k, j, n, cols, line)
			}
		}
	}
}

// mdCells counts the cells of a Markdown table line: unescaped pipes minus one.
func mdCells(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestMarkdownEscape(t *testing.T) {
	line := "| " + mdEscape(`a|b \| c`) + " | " + mdEscape("two\nlines") + " |"
	if n := mdCells(line); n != 2 {
		t.Fatalf("%q has %d cells, want 2", line, n)
	}
	if strings.Contains(line, "\n") {
		t.Fatalf("a newline survived: %q", line)
	}
}

func TestGen(t *testing.T) {
	path := genFile(t, 2000, 42)
	if r := dcx(t, "validate", path); r.code != 0 || !strings.HasPrefix(r.stdout, "ok: ") {
		t.Fatalf("validate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	ds, err := data.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 2000 {
		t.Errorf("gen --records 2000 wrote %d records", ds.Len())
	}
	for _, k := range []model.Kind{model.KindAnnouncement, model.KindCompany, model.KindRegion, model.KindFacility, model.KindInvestment, model.KindSource, model.KindPlace} {
		if len(ds.ByKind(k)) == 0 {
			t.Errorf("no %s among the generated records", k)
		}
	}
	r := dcx(t, "--data", path, "export", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("export with --data: exit %d\n%s", r.code, r.stderr)
	}
	if rows := strings.Count(r.stdout, "\n") - 1; rows != ds.Len() {
		t.Errorf("export of the generated file has %d rows, the file %d records", rows, ds.Len())
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("gen left %d files in its folder, want only the output", len(entries))
	}

	// stdout and --out carry the same bytes; the seed decides them.
	file, _ := os.ReadFile(path)
	same := dcx(t, "gen", "--records", "2000", "--seed", "42")
	if same.code != 0 || same.stdout != string(file) {
		t.Errorf("gen to stdout (exit %d, %d bytes) differs from --out (%d bytes)", same.code, len(same.stdout), len(file))
	}
	other := dcx(t, "gen", "--records", "2000", "--seed", "43")
	if other.code != 0 || other.stdout == same.stdout {
		t.Errorf("another seed gave the same dataset (exit %d)", other.code)
	}
}

func TestWriteFileAtomicLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := writeFileAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<17)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "previous" {
		t.Errorf("the previous file was touched: %d bytes", len(b))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want the previous one only", len(entries))
	}
}

func TestQueryErrorCaret(t *testing.T) {
	var b bytes.Buffer
	printQueryError(&b, "città mw>=x", &search.QueryError{Pos: 11, Msg: "bad number"})
	want := "  città mw>=x\n            ^\n"
	if b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}

// TestAppOptionsAccepted checks that valid start-up options get past ui.New:
// the run then stops only at the terminal check.
func TestAppOptionsAccepted(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() == 0 {
		t.Fatal("empty embedded dataset")
	}
	id := ds.Records()[ds.Len()/2].RecordID()
	for _, args := range [][]string{
		{"--tab", "facilities"},
		{"--tab", "3"},
		{"--open", id},
		{"--query", "country:KR mw>=100"},
		{"--currency", "eur"},
		{"--tab", "regions", "--query", "country:KR", "--currency", "USD"},
	} {
		r := dcx(t, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "needs a terminal") || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want the terminal check only", args, r.code, r.stdout, r.stderr)
		}
	}
}

// dcx validate checks quotes against the documents dcx carries, without any
// flag: one changed letter in a seed quote makes the dataset invalid, with the
// file, line and field of the quote.
func TestValidateChecksQuotesByDefault(t *testing.T) {
	dir := t.TempDir()
	names, err := filepath.Glob(filepath.Join("..", "..", "data", "dataset", "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("dataset files: %v %v", names, err)
	}
	changed := false
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "entro la fine di giugno") {
			s = strings.Replace(s, "entro la fine di giugno", "entro la fine di luglio", 1)
			changed = true
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(n)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !changed {
		t.Fatal("no dataset file quotes \"entro la fine di giugno\"; pick another quote")
	}
	if r := dcx(t, "validate", filepath.Join("..", "..", "data", "dataset")); r.code != 0 {
		t.Fatalf("the real dataset: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := dcx(t, "validate", dir)
	if r.code != 1 || !strings.Contains(r.stdout, ".quote: value \"") || !strings.Contains(r.stdout, ": not found verbatim in 000_6923abf675a86c52.txt") {
		t.Fatalf("changed quote: exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

// An announcement or a facility without its own capex exports the amount
// the app shows for it (model.AmountOf), saying whose figure it is: in csv
// amount_from, in Markdown "via `id`".
func TestExportAmountOfOtherRecords(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rows := exportCSV(t, "export", "--format", "csv", "--kind", "announcement,facility", "ulsan")
	col := csvColumns(rows[0])
	borrowed := map[model.Kind]int{}
	for _, row := range rows[1:] {
		rec, ok := ds.Get(col(row, "id"))
		if !ok {
			t.Fatalf("row for unknown id %s", col(row, "id"))
		}
		checkCSVRow(t, ds, rec, row, col)
		if col(row, "amount_from") != "" && col(row, "usd") != "" {
			borrowed[rec.RecordKind()]++
		}
	}
	if borrowed[model.KindAnnouncement] == 0 || borrowed[model.KindFacility] == 0 {
		t.Fatalf("no announcement and facility with another record's amount among the ulsan rows: %v", borrowed)
	}

	md := dcx(t, "export", "--format", "md", "--kind", "facility", "ulsan")
	if md.code != 0 {
		t.Fatalf("md: exit %d\n%s", md.code, md.stderr)
	}
	for _, rec := range selected(t, ds, []string{"--kind", "facility", "ulsan"}) {
		a, ok := ds.AmountOf(rec)
		if !ok || a.From == "" {
			continue
		}
		want := a.Money.String() + " via `" + a.From + "`"
		if !strings.Contains(md.stdout, want) {
			t.Errorf("md lacks %q for %s:\n%s", want, rec.RecordID(), md.stdout)
		}
	}
}

// A date exports with its precision and whether it was inferred: in csv as
// columns, in Markdown with the app's "~" mark.
func TestExportDates(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rows := exportCSV(t, "export", "--format", "csv", "--kind", "announcement")
	col := csvColumns(rows[0])
	if i := slices.Index(rows[0], "date"); i < 0 || !slices.Equal(rows[0][i+1:i+3], []string{"date_precision", "date_inferred"}) {
		t.Fatalf("header %v: want date_precision and date_inferred after date", rows[0])
	}
	var inferred *model.Announcement
	precisions := map[string]bool{}
	for _, row := range rows[1:] {
		rec, _ := ds.Get(col(row, "id"))
		a := rec.(*model.Announcement)
		if col(row, "date") != a.Date.Value || col(row, "date_precision") != string(a.Date.Prec()) ||
			col(row, "date_inferred") != strconv.FormatBool(a.Date.Inferred) {
			t.Errorf("%s: date %q %q %q, want %+v", a.ID, col(row, "date"), col(row, "date_precision"), col(row, "date_inferred"), a.Date)
		}
		precisions[col(row, "date_precision")] = true
		if a.Date.Inferred && inferred == nil {
			inferred = a
		}
	}
	if len(precisions) < 2 || inferred == nil {
		t.Fatalf("the announcements give %v precisions and inferred date %v: the test proves little", precisions, inferred)
	}

	md := dcx(t, "export", "--format", "md", inferred.ID)
	if want := "| ~" + inferred.Date.String() + " |"; md.code != 0 || !strings.Contains(md.stdout, want) {
		t.Errorf("md of %s lacks %q (exit %d):\n%s", inferred.ID, want, md.code, md.stdout)
	}
}

// Counts of one are singular: "1 source", "1 exchange rate", "1 problem".
func TestValidateSummaryPlurals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "one.json")
	one := `{
  "version": 1,
  "sources": [{"id": "src", "title": "Source", "language": "en", "kind": "news-article"}],
  "companies": [
    {"id": "acme", "name": "Acme", "kind": "cloud-provider", "evidence": [{"source": "src", "quote": "q", "translation": "q"}]},
    {"id": "globex", "name": "Globex", "kind": "cloud-provider", "evidence": [{"source": "src", "quote": "q", "translation": "q"}]}
  ],
  "rates": [{"base": "USD", "quote": "CNY", "value": 7.2, "date": {"value": "2025-06-19"}, "origin": "implied", "evidence": [{"source": "src", "quote": "q", "translation": "q"}]}]
}`
	if err := os.WriteFile(path, []byte(one), 0o644); err != nil {
		t.Fatal(err)
	}
	r := dcx(t, "validate", path)
	if want := "3 records (2 companies, 1 source) and 1 exchange rate\n"; r.code != 0 || !strings.HasSuffix(r.stdout, want) {
		t.Errorf("exit %d, stdout %q; want it to end %q", r.code, r.stdout, want)
	}

	bad := filepath.Join("..", "..", "data", "testdata", "invalid", "rate-value.json")
	r = dcx(t, "validate", bad)
	if r.code != 1 || !strings.HasSuffix(r.stderr, ": 1 problem\n") {
		t.Errorf("exit %d, stderr %q; want it to end \": 1 problem\"", r.code, r.stderr)
	}
	r = dcx(t, "--data", bad, "export")
	if r.code != 1 || !strings.Contains(r.stderr, "is not a valid dataset: 1 problem\n") {
		t.Errorf("export: exit %d, stderr %q; want \"1 problem\"", r.code, r.stderr)
	}
}

// A word found only approximately is named on stderr, so that a script's
// reader knows the export holds records the word as typed did not match.
func TestExportSaysApproximate(t *testing.T) {
	r := dcx(t, "export", "--format", "csv", "ulsna")
	if r.code != 0 || !strings.Contains(r.stderr, "matched approximately: ulsna ≈ ulsan") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(strings.ToLower(r.stdout), "ulsan") {
		t.Errorf("no Ulsan record exported:\n%s", r.stdout)
	}
	if r := dcx(t, "export", "--format", "csv", "ulsan"); strings.Contains(r.stderr, "approximately") {
		t.Errorf("an exact match said it was approximate: %q", r.stderr)
	}
}

// A record an amount filter selects shows that amount in the export: the
// filter and the CSV use one definition of a record's amount.
func TestExportAmountFilterShowsAmount(t *testing.T) {
	for _, q := range []string{"usd>=1e9", "kind:facility usd>0", "kind:announcement usd>0"} {
		rows := exportCSV(t, "export", "--format", "csv", q)
		if len(rows) < 2 {
			t.Fatalf("%s selects nothing", q)
		}
		col := csvColumns(rows[0])
		for _, row := range rows[1:] {
			if col(row, "amount") == "" || col(row, "usd") == "" {
				t.Errorf("%s selects %s, exported without an amount (amount %q, usd %q)", q, row[0], col(row, "amount"), col(row, "usd"))
			}
		}
	}
	r := dcx(t, "export", "--format", "csv", "kind:facility usd>0 ulsan")
	if !strings.Contains(r.stdout, "skt-aws-ulsan") {
		t.Errorf("the Ulsan facility, whose investment states USD 5.1 bn, is not found by usd>0:\n%s", r.stdout)
	}
}
