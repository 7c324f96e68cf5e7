package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
	"github.com/spf13/cobra"
)

var exportFormats = []string{"json", "csv", "md"}

type exportOptions struct {
	format   string
	kinds    []string
	currency string
}

func newExportCmd(e *env) *cobra.Command {
	var opts exportOptions
	cmd := &cobra.Command{
		Use:   "export [QUERY...]",
		Short: "Print the dataset, or the records a query selects, as JSON, CSV or Markdown",
		Long: `Export prints the whole dataset, or the records a query selects, on stdout.

The query is the app's search language (the words are joined with spaces):
free text, "quoted phrases", -exclusions, field filters such as kind:facility,
company:alibaba, country:KR, area:apac, year:2025, status:construction, and
comparisons such as mw>=100, gpus>10000, usd>=1e9.

--format json writes a dataset file: the selected records plus every record they
reference (their sources, companies, places, parent companies, and the rate
table when they hold money), so the output is itself a valid dataset that
'dcx validate' accepts and '--data' loads.
--format csv writes one row per selected record (RFC 4180, header row):
id, kind, title, date, date_precision (day, month, quarter, year),
date_inferred (true when the date was worked out, not stated), companies,
country, mw, gpus, amount, amount_qualifier, amount_from, currency, the
amount converted to --currency, status, sources. Lists are joined with ';'.
A record's amount is an investment's, a facility's capex or else its
investment's, an announcement's largest among the records it concerns;
amount_from names the record it is stated on when not the row's own.
--format md writes a Markdown table per kind; as in the app, "~" marks an
inferred date.`,
		Example: `  dcx export > dataset.json
  dcx export --format csv --kind facility
  dcx export --format md country:KR
  dcx export --format csv --currency EUR 'usd>=1e9'
  dcx export ulsan > ulsan.json && dcx validate ulsan.json`,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runExport(e, cmd, opts, strings.Join(args, " "))
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&opts.format, "format", "f", "json", "output `FORMAT`: json, csv or md")
	f.StringSliceVarP(&opts.kinds, "kind", "k", nil, "only records of `KIND` (repeat or separate with commas: facility,region)")
	f.StringVar(&opts.currency, "currency", "USD", "convert amounts to `CUR` in csv and md output: USD, EUR, CNY or any currency the dataset's rates reach")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(exportFormats, cobra.ShellCompDirectiveNoFileComp))
	kindNames := make([]string, len(model.Kinds()))
	for i, k := range model.Kinds() {
		kindNames[i] = string(k)
	}
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(kindNames, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("currency", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		ds, err := e.dataset()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return ds.DisplayCurrencies()[1:], cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runExport(e *env, cmd *cobra.Command, opts exportOptions, query string) error {
	format := strings.ToLower(opts.format)
	if !slices.Contains(exportFormats, format) {
		return usageErrorf("--format %q: want one of %s", opts.format, strings.Join(exportFormats, ", "))
	}
	kinds, err := parseKinds(opts.kinds)
	if err != nil {
		return err
	}
	if format == "json" && cmd.Flags().Changed("currency") {
		return usageErrorf("--currency applies to csv and md; json keeps every amount as the sources state it")
	}

	ds, err := e.dataset()
	if err != nil {
		return err
	}
	// Which currencies an amount can be converted to is the dataset's rate
	// table's to say, so the flag is checked once the data is loaded.
	currency := strings.ToUpper(strings.TrimSpace(opts.currency))
	if reach := ds.DisplayCurrencies()[1:]; !slices.Contains(reach, currency) {
		return usageErrorf("--currency %q: want a currency the dataset's rates reach: %s", opts.currency, strings.Join(reach, ", "))
	}
	whole := strings.TrimSpace(query) == "" && len(kinds) == 0
	var recs []model.Record
	if whole {
		recs = ds.Records()
	} else {
		var approx []search.Approx
		recs, approx, err = selectRecords(ds, query, kinds)
		if text := search.ApproxSummary(approx); text != "" {
			// A person reading the output should know that a word was not
			// found as typed: "colossus" matching the Italian "colosso".
			fmt.Fprintln(e.stderr, "dcx: matched approximately: "+text)
		}
		if err != nil {
			var qe *search.QueryError
			if errors.As(err, &qe) {
				printQueryError(e.stderr, query, qe)
				return usageErrorf("invalid query: %v", qe)
			}
			return err
		}
	}

	if len(recs) == 0 {
		// Not an error (the output is still a valid, empty export), but a
		// script or a person piping it on should know.
		fmt.Fprintln(e.stderr, "dcx: no records match")
	}

	w := bufio.NewWriter(e.stdout)
	switch format {
	case "json":
		out := ds
		if !whole {
			out = closure(ds, recs)
		}
		err = data.Encode(w, out)
	case "csv":
		err = writeCSV(w, ds, recs, currency)
	case "md":
		err = writeMarkdown(w, ds, recs, currency)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	return nil
}

// parseKinds accepts kind names in singular or plural form, any case.
func parseKinds(names []string) (map[model.Kind]bool, error) {
	if len(names) == 0 {
		return nil, nil
	}
	kinds := map[model.Kind]bool{}
	for _, n := range strings.Split(strings.Join(names, ","), ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		found := false
		for _, k := range model.Kinds() {
			if n == string(k) || n == strings.ToLower(kindPlural(k)) {
				kinds[k], found = true, true
			}
		}
		if !found {
			valid := make([]string, len(model.Kinds()))
			for i, k := range model.Kinds() {
				valid[i] = string(k)
			}
			return nil, usageErrorf("--kind %q: want one of %s", n, strings.Join(valid, ", "))
		}
	}
	return kinds, nil
}

func selectRecords(ds *model.Dataset, query string, kinds map[model.Kind]bool) ([]model.Record, []search.Approx, error) {
	recs := ds.Records()
	var approx []search.Approx
	if strings.TrimSpace(query) != "" {
		q, err := search.ParseQuery(query)
		if err != nil {
			return nil, nil, err
		}
		res := search.NewEngine(ds).NewSearcher().Search(0, q)
		recs = make([]model.Record, 0, res.Len())
		for _, m := range res.Matches() {
			recs = append(recs, ds.Records()[m])
		}
		approx = res.Approx
	}
	if len(kinds) == 0 {
		return recs, approx, nil
	}
	out := make([]model.Record, 0, len(recs))
	for _, r := range recs {
		if kinds[r.RecordKind()] {
			out = append(out, r)
		}
	}
	return out, approx, nil
}

// printQueryError shows the query with a caret under the offending position.
func printQueryError(w io.Writer, query string, qe *search.QueryError) {
	pos := min(max(qe.Pos, 0), len(query))
	fmt.Fprintf(w, "  %s\n  %s^\n", query, strings.Repeat(" ", utf8.RuneCountInString(query[:pos])))
}

// kindPlural is a kind's name as a heading: "Facilities".
func kindPlural(k model.Kind) string {
	s := model.PluralOf(string(k))
	return strings.ToUpper(s[:1]) + s[1:]
}

// references lists the ids a record names: the records a dataset must also
// hold for this one to be valid. Zones name their region, which carries them.
func references(r model.Record) []string {
	ids := model.EvidenceSources(r)
	model.EachRef(r, func(ref model.Ref) { ids = append(ids, ref.ID) })
	return ids
}

// closure returns a dataset holding recs and, transitively, everything they
// reference, in the order of ds, so that it stands alone as a valid dataset.
// When any of them holds money the whole rate table comes along (with the
// sources of its rates and the records that dispute them): conversion picks the rate closest to a date among
// all of them, so a subset of the table could change the converted figures.
func closure(ds *model.Dataset, recs []model.Record) *model.Dataset {
	keep := map[string]bool{}
	var queue []string
	push := func(ids ...string) {
		for _, id := range ids {
			if id != "" && !keep[id] {
				if _, ok := ds.Get(id); ok {
					keep[id] = true
					queue = append(queue, id)
				}
			}
		}
	}
	drain := func() (money bool) {
		for len(queue) > 0 {
			id := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			r, _ := ds.Get(id)
			push(references(r)...)
			// A record showing another's amount (a facility an investment
			// pays for, which names the facility, not the other way round)
			// needs that record to show it in the export too.
			if a, ok := ds.AmountOf(r); ok {
				money = true
				push(a.From)
			}
		}
		return money
	}
	for _, r := range recs {
		push(r.RecordID())
	}
	withRates := drain()
	if withRates {
		for _, rate := range ds.Rates {
			for _, ev := range rate.Evidence {
				push(ev.Source)
				push(ev.Cites...)
			}
			// The record whose conflict disputes a rate comes along, or
			// the export would not validate.
			push(rate.Disputed)
		}
		drain()
	}

	out := &model.Dataset{}
	out.Sources = keepOnly(ds.Sources, keep, func(r *model.Source) string { return r.ID })
	out.Companies = keepOnly(ds.Companies, keep, func(r *model.Company) string { return r.ID })
	out.Places = keepOnly(ds.Places, keep, func(r *model.Place) string { return r.ID })
	out.Regions = keepOnly(ds.Regions, keep, func(r *model.Region) string { return r.ID })
	out.Facilities = keepOnly(ds.Facilities, keep, func(r *model.Facility) string { return r.ID })
	out.Investments = keepOnly(ds.Investments, keep, func(r *model.Investment) string { return r.ID })
	out.Announcements = keepOnly(ds.Announcements, keep, func(r *model.Announcement) string { return r.ID })
	if withRates {
		out.Rates = ds.Rates
	}
	return out
}

func keepOnly[T any](all []T, keep map[string]bool, id func(*T) string) []T {
	var out []T
	for i := range all {
		if keep[id(&all[i])] {
			out = append(out, all[i])
		}
	}
	return out
}

// row is one record flattened to the columns csv and md share.
type row struct {
	id, kind, title string
	date            model.Date
	companies       []string
	countries       []string
	mw, gpus        string
	amount          *model.Amount // model.AmountOf: the one definition of a record's amount
	converted       *model.Money
	status          string
	sources         []string
}

func flatten(ds *model.Dataset, r model.Record, currency string) row {
	out := row{id: r.RecordID(), kind: string(r.RecordKind()), title: r.RecordTitle(), sources: model.EvidenceSources(r)}
	var places []string
	switch r := r.(type) {
	case *model.Announcement:
		out.date = r.Date
		out.companies = r.Companies
		places = r.Places
	case *model.Company:
		out.companies = nonEmpty(r.Parent)
		places = nonEmpty(r.Country)
	case *model.Region:
		out.date = r.AsOf
		out.companies = nonEmpty(r.Provider)
		places = nonEmpty(r.Country)
		out.status = string(r.Status)
	case *model.Zone:
		if reg, ok := ds.Get(r.Region); ok {
			reg := reg.(*model.Region)
			out.companies = nonEmpty(reg.Provider)
			places = nonEmpty(reg.Country)
			out.status = string(reg.Status)
		}
	case *model.Facility:
		out.date = r.AnnouncedDate()
		out.companies = dedup(slices.Concat(nonEmpty(r.Operator), r.Owners, r.Developers, r.Tenants, r.Partners, r.Customers))
		places = nonEmpty(r.Country)
		if r.PowerMW != nil {
			out.mw = strconv.FormatFloat(*r.PowerMW, 'f', -1, 64)
		}
		if r.GPUs != nil {
			out.gpus = strconv.Itoa(*r.GPUs)
		}
		out.status = string(r.Status)
	case *model.Investment:
		out.date = r.Announced
		out.companies = dedup(slices.Concat(nonEmpty(r.Investor), r.CoInvestors, r.Partners))
		places = r.Places
	case *model.Source:
		if r.Published != nil {
			out.date = *r.Published
		}
	case *model.Place:
		places = []string{r.ID}
	}
	out.countries = countryCodes(ds, places)
	if a, ok := ds.AmountOf(r); ok {
		out.amount = &a
		// Without a date there is no rate to pick; the amount stays as
		// stated and the converted cell empty.
		if a.Money.Currency == currency || !a.At.IsZero() {
			if c, err := ds.Convert(a.Money, currency, a.At); err == nil {
				out.converted = &c.To
			}
		}
	}
	return out
}

// countryCodes turns place ids into ISO country codes: a city counts as its
// country; areas are not countries and are left out.
func countryCodes(ds *model.Dataset, places []string) []string {
	var out []string
	for _, id := range places {
		r, ok := ds.Get(id)
		p, isPlace := r.(*model.Place)
		if !ok || !isPlace {
			continue
		}
		if p.Kind == model.PlaceCity {
			c, ok := ds.Get(p.Country)
			if p, isPlace = c.(*model.Place); !ok || !isPlace {
				continue
			}
		}
		if p.Kind == model.PlaceCountry {
			code := p.Code
			if code == "" {
				code = p.ID
			}
			out = append(out, code)
		}
	}
	return dedup(out)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func dedup(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Converted amounts are rounded to cents: the rates behind them carry no more
// precision than that, and float noise would read as false exactness.
func csvConverted(m *model.Money) string {
	if m == nil {
		return ""
	}
	return strconv.FormatFloat(math.Round(m.Amount*100)/100, 'f', -1, 64)
}

// csvHeader is the CSV export's header; the converted column is named after
// the currency (usd, eur).
func csvHeader(currency string) []string {
	return []string{"id", "kind", "title", "date", "date_precision", "date_inferred", "companies", "country", "mw", "gpus",
		"amount", "amount_qualifier", "amount_from", "currency", strings.ToLower(currency), "status", "sources"}
}

func writeCSV(w io.Writer, ds *model.Dataset, recs []model.Record, currency string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader(currency)); err != nil {
		return err
	}
	for _, r := range recs {
		f := flatten(ds, r, currency)
		var amount, qualifier, from, cur string
		if a := f.amount; a != nil {
			amount = strconv.FormatFloat(a.Money.Amount, 'f', -1, 64)
			qualifier, from, cur = a.Money.Qualifier, a.From, a.Money.Currency
		}
		// Precision and inference are only said of a date that is there.
		var precision, inferred string
		if !f.date.IsZero() {
			precision, inferred = string(f.date.Prec()), strconv.FormatBool(f.date.Inferred)
		}
		if err := cw.Write([]string{
			f.id, f.kind, f.title, f.date.Value, precision, inferred, strings.Join(f.companies, ";"), strings.Join(f.countries, ";"),
			f.mw, f.gpus, amount, qualifier, from, cur, csvConverted(f.converted), f.status, strings.Join(f.sources, ";"),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeMarkdown writes one table per kind, in the app's tab order, with only
// the columns that kind fills.
func writeMarkdown(w io.Writer, ds *model.Dataset, recs []model.Record, currency string) error {
	byKind := map[model.Kind][]row{}
	for _, r := range recs {
		byKind[r.RecordKind()] = append(byKind[r.RecordKind()], flatten(ds, r, currency))
	}
	bw := &errWriter{w: w}
	if len(recs) == 0 {
		bw.printf("_No records match._\n")
	}
	first := true
	for _, k := range model.Kinds() {
		rows := byKind[k]
		if len(rows) == 0 {
			continue
		}
		if !first {
			bw.printf("\n")
		}
		first = false
		bw.printf("## %s (%d)\n\n", kindPlural(k), len(rows))
		cols := mdColumns(ds, currency)
		var used []mdColumn
		for _, c := range cols {
			for _, r := range rows {
				if c.always || c.cell(r) != "" {
					used = append(used, c)
					break
				}
			}
		}
		names := make([]string, len(used))
		seps := make([]string, len(used))
		for i, c := range used {
			names[i], seps[i] = c.name, "---"
			if c.numeric {
				seps[i] = "---:"
			}
		}
		bw.printf("| %s |\n|%s|\n", strings.Join(names, " | "), strings.Join(seps, "|"))
		for _, r := range rows {
			cells := make([]string, len(used))
			for i, c := range used {
				cells[i] = mdEscape(c.cell(r))
			}
			bw.printf("| %s |\n", strings.Join(cells, " | "))
		}
	}
	return bw.err
}

type mdColumn struct {
	name    string
	always  bool
	numeric bool
	cell    func(row) string
}

func mdColumns(ds *model.Dataset, currency string) []mdColumn {
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id
			if r, ok := ds.Get(id); ok {
				out[i] = r.RecordTitle()
			}
		}
		return strings.Join(out, ", ")
	}
	money := func(m *model.Money) string {
		if m == nil {
			return ""
		}
		return m.String()
	}
	return []mdColumn{
		{name: "ID", always: true, cell: func(r row) string { return "`" + r.id + "`" }},
		{name: "Title", always: true, cell: func(r row) string { return r.title }},
		{name: "Date", cell: func(r row) string { return r.date.Display() }},
		{name: "Companies", cell: func(r row) string { return names(r.companies) }},
		{name: "Country", cell: func(r row) string { return strings.Join(r.countries, ", ") }},
		{name: "MW", numeric: true, cell: func(r row) string { return r.mw }},
		{name: "GPUs", numeric: true, cell: func(r row) string { return r.gpus }},
		{name: "Amount", numeric: true, cell: func(r row) string {
			if r.amount == nil {
				return ""
			}
			// Money.String keeps the qualifier ("more than CNY 380 bn").
			s := r.amount.Money.String()
			if r.amount.From != "" {
				s += " via `" + r.amount.From + "`"
			}
			return s
		}},
		{name: currency, numeric: true, cell: func(r row) string { return money(r.converted) }},
		{name: "Status", cell: func(r row) string { return r.status }},
		{name: "Sources", cell: func(r row) string { return strings.Join(r.sources, ", ") }},
	}
}

// mdEscape keeps a cell inside its table: a pipe would end it, a newline
// would end the row.
func mdEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// errWriter remembers the first write error so a long table is written
// without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
